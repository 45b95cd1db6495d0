package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.testing.ParserErrors;
import java.util.Optional;

/**
 * Fuzzes install.key. Seeds: InstallKeyFuzzTestInputs/parse. A file either reads as a 32-byte key that writes back to
 * itself, or is refused with a {@link ShareFormatException} naming the file and a line; nothing else is thrown.
 */
class InstallKeyFuzzTest {
    private static final String FILE = InstallKey.FILE_NAME;

    @FuzzTest
    void parse(byte[] content) throws ShareFormatException {
        Optional<InstallKey> read = ParserErrors.parse(FILE, content, InstallKey::parse);
        if (read.isEmpty()) {
            return;
        }
        assertThat(read.get().bytes()).hasSize(InstallKey.BYTES);
        assertThat(InstallKey.parse(FILE, read.get().render())).isEqualTo(read.get());
    }
}
