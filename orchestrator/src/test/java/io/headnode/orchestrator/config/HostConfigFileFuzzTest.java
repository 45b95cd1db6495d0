package io.headnode.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.common.kv.KvException;
import io.headnode.testing.ParserErrors;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the orchestrator's config file (/etc/headnode/orchestrator.conf). Seeds: HostConfigFileFuzzTestInputs/parse.
 * A file either reads as a config or is refused with a {@link HostConfigFile.ConfigException} whose cause is a
 * {@link KvException} naming the file and a line; nothing else is thrown. There is no writer, so no round trip.
 */
class HostConfigFileFuzzTest {
    private static final String FILE = "orchestrator.conf";

    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            HostConfig config = HostConfigFile.parse(FILE, text);
            assertThat(config.stateDir().isAbsolute()).isTrue();
        } catch (HostConfigFile.ConfigException e) {
            assertThat(e.getCause()).isInstanceOf(KvException.class);
            ParserErrors.check((KvException) e.getCause(), FILE, text.getBytes(StandardCharsets.UTF_8));
            assertThat(e.getMessage()).isEqualTo(e.getCause().getMessage());
        }
    }
}
