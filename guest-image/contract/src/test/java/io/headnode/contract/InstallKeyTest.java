package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** install.key: 64 hex digits, round trip, errors naming file, line and field; never printed. */
class InstallKeyTest {
    static final String HEX = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aKeyIs64HexDigitsAndWritesBackToItself() throws Exception {
        InstallKey k = InstallKey.parse("install.key", b("# the VLAN's install-token key\n" + HEX + "\n"));
        assertThat(k.bytes()).hasSize(32).startsWith(0x00, 0x11).endsWith((byte) 0xee, (byte) 0xff);
        assertThat(new String(k.render(), StandardCharsets.US_ASCII)).isEqualTo(HEX.toLowerCase() + "\n");
        assertThat(InstallKey.parse("install.key", k.render())).isEqualTo(k);
    }

    @Test
    void generatedKeysDifferAndAreNeverPrinted() {
        SecureRandom r = new SecureRandom();
        InstallKey a = InstallKey.generate(r);
        InstallKey b = InstallKey.generate(r);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.toString()).isEqualTo("InstallKey[<secret>]").doesNotContain(new String(a.render(), StandardCharsets.US_ASCII).strip());
        byte[] copy = a.bytes();
        copy[0] ^= 1;
        assertThat(a.bytes()).isNotEqualTo(copy);
    }

    @Test
    void badContentNamesFileLineAndField() {
        assertThatThrownBy(() -> InstallKey.parse("install.key", b("# nothing\n")))
                .hasMessage("install.key: install-key: missing (expected one line of 64 hex digits)");
        assertThatThrownBy(() -> InstallKey.parse("install.key", b("\n" + HEX.substring(2) + "\n")))
                .hasMessage("install.key:2: install-key: expected 64 hex digits (32 bytes), found 62 characters");
        assertThatThrownBy(() -> InstallKey.parse("install.key", b(HEX.replace('a', 'g') + "\n")))
                .hasMessageStartingWith("install.key:1: install-key: expected 64 hex digits");
        assertThatThrownBy(() -> InstallKey.parse("install.key", b(HEX + "\n" + HEX + "\n")))
                .hasMessage("install.key:2: install-key: more than one key line");
        assertThatThrownBy(() -> InstallKey.parse("install.key", new byte[InstallKey.MAX_BYTES + 1]))
                .hasMessageStartingWith("install.key: file: larger than");
        assertThatThrownBy(() -> InstallKey.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
