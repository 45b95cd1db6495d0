package io.headnode.common.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes the line rules under every Headnode text file. Seeds: KvLinesFuzzTestInputs/lines. A run either gives lines
 * that keep the rules or a {@link KvException} naming the file and a line, never another exception.
 */
class KvLinesFuzzTest {
    private static final String FILE = "fuzz.conf";
    /** Small, so that the size rule is reached by inputs of the fuzzer's usual lengths. */
    private static final int MAX_BYTES = 256;

    @FuzzTest
    void lines(byte[] content) {
        List<KvLines.Line> lines;
        try {
            lines = KvLines.parse(FILE, content, MAX_BYTES);
        } catch (KvException e) {
            KvErrorCheck.namesFileAndLine(e, FILE, content);
            if (content.length > MAX_BYTES) {
                assertThat(e.line()).isZero();
                assertThat(e.field()).isEqualTo("file");
            }
            return;
        }
        assertThat(content.length).isLessThanOrEqualTo(MAX_BYTES);
        int previous = 0;
        for (KvLines.Line l : lines) {
            assertThat(l.number()).isGreaterThan(previous).isLessThanOrEqualTo(KvErrorCheck.lineCount(content));
            assertThat(l.text()).isNotEmpty().isEqualTo(l.text().strip()).doesNotStartWith("#")
                    .doesNotContain(" #", "\t#", "\ufeff").doesNotContainPattern("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
            assertThat(l.words()).allSatisfy(w -> assertThat(w).isNotEmpty().doesNotContain(" ", "\t"));
            previous = l.number();
        }
    }
}
