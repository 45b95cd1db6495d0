package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.testing.ParserErrors;
import java.util.Optional;

/**
 * Fuzzes headnode.conf. Seeds: HeadnodeConfigFuzzTestInputs/parse. A file either reads as a config that writes back to
 * itself, or is refused with a {@link ShareFormatException} naming the file and a line; nothing else is thrown.
 */
class HeadnodeConfigFuzzTest {
    private static final String FILE = HeadnodeConfig.FILE_NAME;

    @FuzzTest
    void parse(byte[] content) throws ShareFormatException {
        Optional<HeadnodeConfig> read = ParserErrors.parse(FILE, content, HeadnodeConfig::parse);
        if (read.isEmpty()) {
            return;
        }
        HeadnodeConfig config = read.get();
        assertThat(HeadnodeConfig.parse(FILE, config.render())).isEqualTo(config);
    }
}
