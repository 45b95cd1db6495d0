package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SshPublicKeyTest {
    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "ecdsa384", "ecdsa521", "rsa"})
    void acceptsRealKeysAndComputesSshKeygensFingerprint(String name) {
        SshPublicKey k = SshPublicKey.parseLine(SshKeysFixture.pub(name));
        assertThat(k.toString()).isEqualTo(SshKeysFixture.key(name));
        assertThat(k.fingerprint()).isEqualTo(SshKeysFixture.fingerprint(name));
    }

    @Test
    void refusesDsaSmallRsaAndATypeThatIsNotTheDatas() {
        assertThatThrownBy(() -> SshPublicKey.parseLine(SshKeysFixture.pub("dsa"))).hasMessageContaining("key type 'ssh-dss' is not supported");
        assertThatThrownBy(() -> SshPublicKey.parseLine(SshKeysFixture.pub("rsa1024"))).hasMessageContaining("RSA key of 1024 bits is outside 2048..16384");
        String ed = SshKeysFixture.key("ed25519").split(" ")[1];
        assertThatThrownBy(() -> new SshPublicKey("ssh-rsa", ed)).hasMessageContaining("key data is of type 'ssh-ed25519', not ssh-rsa");
    }

    @Test
    void refusesBadBase64TruncatedDataAndTrailingBytes() {
        String ed = SshKeysFixture.key("ed25519").split(" ")[1];
        assertThatThrownBy(() -> new SshPublicKey("ssh-ed25519", ed.substring(0, 20) + "!" + ed.substring(21))).hasMessageContaining("not base64");
        byte[] blob = Base64.getDecoder().decode(ed);
        byte[] cut = java.util.Arrays.copyOf(blob, blob.length - 1);
        assertThatThrownBy(() -> new SshPublicKey("ssh-ed25519", Base64.getEncoder().encodeToString(cut))).hasMessageContaining("truncated");
        byte[] longer = java.util.Arrays.copyOf(blob, blob.length + 3);
        assertThatThrownBy(() -> new SshPublicKey("ssh-ed25519", Base64.getEncoder().encodeToString(longer))).hasMessageContaining("3 bytes after the key");
        String ec = SshKeysFixture.key("ecdsa").split(" ")[1];
        assertThat(ec).endsWith("=");
        assertThatThrownBy(() -> new SshPublicKey("ecdsa-sha2-nistp256", ec.replace("=", ""))).hasMessageContaining("canonical");
    }
}
