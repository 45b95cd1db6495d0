package io.headnode.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.contract.AgentStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzzes how the host reads the status channel: {@link AgentStatusReader}'s line splitting ({@link LatestLine}) with
 * its real line parser ({@link AgentStatusReader#statusOrNull}). Input: byte 0 = the line limit (4..1024 bytes, small so that
 * over-long lines happen), byte 1 = the size of the pieces the bytes arrive in (1..64), then the channel's bytes.
 * Seeds: AgentStatusReaderFuzzTestInputs/lines. Whatever the pieces, the answer is that of a plain model (split the
 * whole input at newlines, drop the unfinished last line and lines over the limit, keep the last one that parses), and
 * nothing is thrown.
 */
class AgentStatusReaderFuzzTest {
    @FuzzTest
    void lines(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int limit = ((input[0] & 0xff) + 1) * 4;
        int piece = (input[1] & 0x3f) + 1;
        byte[] channel = Arrays.copyOfRange(input, 2, input.length);
        LatestLine<AgentStatus> lines = new LatestLine<>(limit, AgentStatusReader::statusOrNull);
        for (int i = 0; i < channel.length; i += piece) {
            lines.feed(channel, i, Math.min(piece, channel.length - i));
        }
        assertThat(lines.latest()).isEqualTo(model(channel, limit));
    }

    private static Optional<AgentStatus> model(byte[] channel, int limit) {
        AgentStatus last = null;
        int start = 0;
        for (int i = 0; i < channel.length; i++) {
            if (channel[i] != '\n') {
                continue;
            }
            if (i - start <= limit) {
                AgentStatus s = AgentStatusReader.statusOrNull(new String(channel, start, i - start, StandardCharsets.UTF_8).strip());
                last = s == null ? last : s;
            }
            start = i + 1;
        }
        return Optional.ofNullable(last);
    }
}
