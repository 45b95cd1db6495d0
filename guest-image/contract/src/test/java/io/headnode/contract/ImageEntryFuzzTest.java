package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.testing.ParserErrors;
import java.util.Optional;

/**
 * Fuzzes catalog entries ({@code NAME.image}, read by the agent from the image share). Seeds:
 * ImageEntryFuzzTestInputs/parse. An entry either reads as one that writes back to itself, or is refused with a
 * {@link ShareFormatException} naming the file and a line.
 */
class ImageEntryFuzzTest {
    private static final String FILE = "images/fuzz.image";

    @FuzzTest
    void parse(byte[] input) {
        Optional<ImageEntry> read = ParserErrors.parse(FILE, input, ImageEntry::parse);
        if (read.isEmpty()) {
            return;
        }
        ImageEntry e = read.get();
        assertThat(e.name().value()).isEqualTo("fuzz");
        assertThat(ParserErrors.parse(FILE, e.render(), ImageEntry::parse)).contains(e);
    }
}
