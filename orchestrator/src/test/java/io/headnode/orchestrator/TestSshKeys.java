package io.headnode.orchestrator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real public keys made with ssh-keygen (test resources io/headnode/orchestrator/ssh/*.pub). */
public final class TestSshKeys {
    private TestSshKeys() {
    }

    /** The .pub line of {@code name} (ed25519, ecdsa, dsa), without its newline. */
    public static String pub(String name) {
        try (InputStream in = TestSshKeys.class.getResourceAsStream("ssh/" + name + ".pub")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
