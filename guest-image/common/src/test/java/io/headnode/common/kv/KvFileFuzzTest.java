package io.headnode.common.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the {@code key = value} layer. Seeds: KvFileFuzzTestInputs/{file,line}.
 * <ul>
 *   <li>{@code file}: parsing gives well-formed keys and values or a {@link KvException} naming the file and a line;
 *       what was read and {@link KvFile#line} accepts reads back the same;</li>
 *   <li>{@code line}: the writer ({@code key NUL value} as input) either refuses with an
 *       {@link IllegalArgumentException} or writes a line that reads back as exactly that key and value.</li>
 * </ul>
 */
class KvFileFuzzTest {
    private static final String FILE = "fuzz.conf";

    @FuzzTest
    void file(byte[] content) throws KvException {
        KvFile f;
        try {
            f = KvFile.parse(FILE, content);
        } catch (KvException e) {
            KvErrorCheck.namesFileAndLine(e, FILE, content);
            return;
        }
        List<String> written = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String key : f.keys()) {
            KvFile.Entry e = f.entry(key).orElseThrow();
            assertThat(key).isNotEmpty().isEqualTo(key.strip()).doesNotContain("=");
            assertThat(e.value()).isEqualTo(e.value().strip());
            assertThat(e.line()).isBetween(1, KvErrorCheck.lineCount(content));
            if (e.value().startsWith("#")) {
                // read from "key =#..."; written back it would be a comment, so the writer refuses it
                assertThatThrownBy(() -> KvFile.line(key, e.value())).isInstanceOf(FieldException.class);
                continue;
            }
            text.append(KvFile.line(key, e.value()));
            written.add(key);
        }
        KvFile again = KvFile.parse(FILE, text.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(again.keys()).containsExactlyElementsOf(written);
        for (String key : written) {
            assertThat(again.text(key)).isEqualTo(f.text(key));
        }
    }

    @FuzzTest
    void line(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        String key = nul < 0 ? "key" : s.substring(0, nul);
        String value = nul < 0 ? s : s.substring(nul + 1);
        String line;
        try {
            line = KvFile.line(key, value);
        } catch (IllegalArgumentException refused) {
            return;
        }
        try {
            KvFile f = KvFile.parse(FILE, line.getBytes(StandardCharsets.UTF_8));
            assertThat(f.keys()).containsExactly(key);
            assertThat(f.text(key)).contains(value);
        } catch (KvException e) {
            fail("the writer's line " + KvValues.quote(line) + " does not read back: " + e.getMessage());
        }
    }
}
