package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.agent.http.HttpLimits;
import io.headnode.common.kv.KvFile;
import io.headnode.testing.ParserErrors;
import java.util.Optional;

/**
 * Fuzzes the agent's own agent.conf ({@link AgentConfig#parse}). Seeds: AgentConfigFuzzTestInputs/parse. A file is
 * refused with a {@link io.headnode.common.kv.KvException} naming the file and a line, or it reads as a config that
 * holds exactly the numbers the file gives (no silent wrap-around of a too large port) and that the agent can start
 * with (its HTTP limits accept the request timeout); nothing else is thrown.
 */
class AgentConfigFuzzTest {
    private static final String FILE = "agent.conf";

    @FuzzTest
    void parse(byte[] content) throws Exception {
        Optional<AgentConfig> read = ParserErrors.parse(FILE, content, AgentConfig::parse);
        if (read.isEmpty()) {
            return;
        }
        AgentConfig c = read.get();
        KvFile f = KvFile.parse(FILE, content);
        f.text("http-port").ifPresent(v -> assertThat((long) c.httpPort()).isEqualTo(Long.parseLong(v)));
        f.text("http-threads").ifPresent(v -> assertThat((long) c.httpThreads()).isEqualTo(Long.parseLong(v)));
        f.text("http-request-timeout-ms").ifPresent(v -> assertThat(c.httpRequestTimeout().toMillis()).isEqualTo(Long.parseLong(v)));
        assertThat(HttpLimits.defaults(c.httpRequestTimeout()).requestTimeout()).isEqualTo(c.httpRequestTimeout());
        assertThat(c.statusFile().startsWith(c.stateDir())).isTrue();
    }
}
