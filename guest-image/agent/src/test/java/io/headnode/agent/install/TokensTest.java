package io.headnode.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.InstallKey;
import io.headnode.contract.MacAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {
    @Test
    void tokensAreWellFormedAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = Tokens.newToken();
            assertThat(Tokens.wellFormed(t)).isTrue();
            assertThat(seen.add(t)).isTrue();
        }
    }

    @Test
    void matchingIsExact() {
        String t = Tokens.newToken();
        assertThat(Tokens.matches(t, t)).isTrue();
        assertThat(Tokens.matches(t, t.substring(1))).isFalse();
        assertThat(Tokens.matches(t, t + "x")).isFalse();
        assertThat(Tokens.matches(null, t)).isFalse();
        assertThat(Tokens.matches(t, null)).isFalse();
        assertThat(Tokens.wellFormed("token with spaces and more than forty-three chars")).isFalse();
        assertThat(Tokens.wellFormed("../../../../../../../../../../../etc/passwd")).isFalse();
    }

    static InstallKey key(int first) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (first + i);
        }
        return InstallKey.of(b);
    }

    @Test
    void aDerivedTokenIsHmacSha256OfPurposeMacAndRequestUnderTheKey() {
        MacAddress a = MacAddress.parse("52:54:00:00:00:0A");
        // known answers computed outside Java (python3 hmac, key bytes 0..31, message
        // "headnode-install-token-v1\n<purpose>\n52:54:00:00:00:0a\nr1", base64url without padding)
        assertThat(Tokens.derive(key(0), Tokens.Purpose.CALLBACK, a, "r1")).isEqualTo("MqcOYgEJK1tu_cFQcHeNZQGTEHRxaA2Lg66QdsEuHRg");
        assertThat(Tokens.derive(key(0), Tokens.Purpose.REPORT, a, "r1")).isEqualTo("zX_JoSOzZY8b4b_qySJGgVn77YxJaNK5J99tpXshW0g");
        assertThat(Tokens.wellFormed(Tokens.derive(key(0), Tokens.Purpose.CALLBACK, a, "r1"))).isTrue();
    }

    @Test
    void eachKeyMacAndRequestGivesItsOwnToken() {
        MacAddress a = MacAddress.parse("52:54:00:00:00:0a");
        MacAddress b = MacAddress.parse("52:54:00:00:00:0b");
        Set<String> tokens = new HashSet<>();
        tokens.add(Tokens.derive(key(0), Tokens.Purpose.CALLBACK, a, "r1"));
        tokens.add(Tokens.derive(key(1), Tokens.Purpose.CALLBACK, a, "r1"));
        tokens.add(Tokens.derive(key(0), Tokens.Purpose.CALLBACK, b, "r1"));
        tokens.add(Tokens.derive(key(0), Tokens.Purpose.CALLBACK, a, "r2"));
        tokens.add(Tokens.derive(key(0), Tokens.Purpose.REPORT, a, "r1"));
        assertThat(tokens).hasSize(5);
        assertThat(Tokens.derive(key(0), Tokens.Purpose.CALLBACK, a, "r1")).isEqualTo(Tokens.derive(key(0), Tokens.Purpose.CALLBACK, a, "r1"));
    }
}
