package io.headnode.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

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
}
