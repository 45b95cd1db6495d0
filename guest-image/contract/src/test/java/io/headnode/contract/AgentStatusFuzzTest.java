package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the status line the host reads from the guest ({@link AgentStatus#parse}). Seeds:
 * AgentStatusFuzzTestInputs/parse. A line either reads as a status within the record's bounds that writes back to one
 * line reading as itself, or is refused with an {@link IllegalArgumentException} whose message is one line; nothing
 * else is thrown (no Jackson exception, no NPE, no StackOverflowError from deep nesting).
 */
class AgentStatusFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        String line = new String(input, StandardCharsets.UTF_8);
        AgentStatus s;
        try {
            s = AgentStatus.parse(line);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(s.machines()).hasSizeLessThanOrEqualTo(AgentStatus.MAX_MACHINES);
        assertThat(s.services()).hasSizeLessThanOrEqualTo(AgentStatus.MAX_SERVICES);
        assertThat(s.omittedMachines()).isNotNegative();
        assertThat(s.share().problem()).hasSizeLessThanOrEqualTo(AgentStatus.MAX_PROBLEM);
        s.services().forEach((name, health) -> {
            assertThat(name).hasSizeLessThanOrEqualTo(40);
            assertThat(health.detail()).hasSizeLessThanOrEqualTo(AgentStatus.MAX_DETAIL);
        });
        s.machines().forEach(m -> assertThat(m.detail()).hasSizeLessThanOrEqualTo(AgentStatus.MAX_DETAIL));
        String written = s.toJson();
        assertThat(written).doesNotContain("\n", "\r");
        assertThat(written.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(AgentStatus.MAX_LINE_BYTES);
        assertThat(AgentStatus.parse(written)).isEqualTo(s);
    }
}
