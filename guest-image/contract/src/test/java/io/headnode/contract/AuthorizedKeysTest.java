package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorizedKeysTest {
    private static final String FILE = "keys.txt";
    private static final String ED = SshKeysFixture.key("ed25519");
    private static final String EC = SshKeysFixture.key("ecdsa");
    private static final String RSA = SshKeysFixture.key("rsa");

    private static AuthorizedKeys parse(String text) throws ShareFormatException {
        return AuthorizedKeys.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String text) {
        try {
            parse(text);
        } catch (ShareFormatException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void readsKeysWithCommentsAndRestrictingOptionsAndWritesThemBack() throws Exception {
        AuthorizedKeys k = parse("# admins\n" + ED + " alice@example\n\nrestrict,no-pty " + RSA + "\r\n" + EC + "  bob  laptop # old\n");
        assertThat(k.entries()).hasSize(3);
        assertThat(k.entries().get(0).comment()).isEqualTo("alice@example");
        assertThat(k.entries().get(1).options()).containsExactly("restrict", "no-pty");
        assertThat(k.entries().get(2).line()).isEqualTo(EC + " bob laptop");
        assertThat(AuthorizedKeys.parse(FILE, k.render())).isEqualTo(k);
        assertThat(new String(k.render(), StandardCharsets.UTF_8)).contains("restrict,no-pty " + RSA + "\n");
    }

    @Test
    void anEmptyFileIsNoKeys() throws Exception {
        assertThat(parse("").entries()).isEmpty();
        assertThat(parse("# nobody\n").entries()).isEmpty();
    }

    @Test
    void optionsThatGrantOrRunSomethingAreRefusedByName() {
        assertThat(error(ED + "\ncommand=\"reboot\" " + EC + "\n")).startsWith("keys.txt:2: options: 'command=...' is not allowed");
        assertThat(error("from=\"10.0.0.0/8\",no-pty " + ED + "\n")).startsWith("keys.txt:1: options: 'from=...' is not allowed");
        assertThat(error("cert-authority " + ED + "\n")).startsWith("keys.txt:1: options: 'cert-authority' is not allowed");
        assertThat(error("environment=\"A=b c\" " + ED + "\n")).startsWith("keys.txt:1: options: 'environment=...' is not allowed");
    }

    @Test
    void badKeysNameLineAndField() {
        assertThat(error(ED + "\n" + SshKeysFixture.key("dsa") + "\n")).startsWith("keys.txt:2: type: key type 'ssh-dss' is not supported");
        assertThat(error(SshKeysFixture.key("rsa1024") + " small\n")).isEqualTo("keys.txt:1: key: RSA key of 1024 bits is outside 2048..16384");
        assertThat(error("ssh-ed25519\n")).startsWith("keys.txt:1: key: missing");
        assertThat(error("ssh-ed25519 AAAA!\n")).startsWith("keys.txt:1: key: key is not base64");
        assertThat(error(ED + " a\n\n" + ED + " b\n")).isEqualTo("keys.txt:3: key: " + SshKeysFixture.fingerprint("ed25519") + " is already listed on line 1");
        assertThat(error(ED + " " + "c".repeat(201) + "\n")).startsWith("keys.txt:1: comment: longer than 200");
    }

    /** A distinct, well-formed ed25519 key for each {@code i}. */
    private static String ed25519(int i) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 11 + 4 + 32);
        b.putInt(11).put("ssh-ed25519".getBytes(StandardCharsets.US_ASCII)).putInt(32).putInt(i);
        return "ssh-ed25519 " + java.util.Base64.getEncoder().encodeToString(b.array());
    }

    @Test
    void sizeAndCountAreBounded() {
        assertThat(error(ED + " " + "c".repeat(AuthorizedKeys.MAX_LINE) + "\n")).startsWith("keys.txt:1: line: longer than 8192");
        assertThat(error("#".repeat(AuthorizedKeys.MAX_BYTES + 1) + "\n")).startsWith("keys.txt: file: larger than");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= AuthorizedKeys.MAX_KEYS; i++) {
            many.append(ed25519(i)).append('\n');
        }
        assertThat(error(many.toString())).isEqualTo("keys.txt:1001: line: more than 1000 keys");
        assertThatThrownBy(() -> new AuthorizedKeys(java.util.Collections.nCopies(2,
                new AuthorizedKeys.Entry(List.of(), SshPublicKey.parseLine(ED), "")))).hasMessageContaining("is listed twice");
    }
}
