package io.headnode.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real keys made with ssh-keygen (test resources sshkeys/*.pub) and the fingerprints ssh-keygen -l printed for them. */
final class SshKeysFixture {
    private SshKeysFixture() {
    }

    /** The .pub line of {@code name} (ed25519, ecdsa, ecdsa384, ecdsa521, rsa, rsa1024, dsa), without its newline. */
    static String pub(String name) {
        return resource(name + ".pub").strip();
    }

    /** {@code <type> <base64>} of {@code name}: the .pub line without its comment. */
    static String key(String name) {
        String[] w = pub(name).split(" ");
        return w[0] + " " + w[1];
    }

    /** The fingerprint ssh-keygen -l printed for {@code name}. */
    static String fingerprint(String name) {
        return resource("fingerprints").lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow().split(" ")[1];
    }

    private static String resource(String file) {
        try (InputStream in = SshKeysFixture.class.getResourceAsStream("sshkeys/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no test resource sshkeys/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
