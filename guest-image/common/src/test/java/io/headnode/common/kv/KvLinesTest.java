package io.headnode.common.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvLinesTest {
    private static List<KvLines.Line> parse(String s) throws KvException {
        return KvLines.parse("f.txt", s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dropsCommentsAndBlankLinesAndKeepsLineNumbers() throws Exception {
        assertThat(parse("# head\n\n  a b  \n\t# indented comment\nc d # trailing\ne#f\ng\t#tab comment\n"))
                .containsExactly(new KvLines.Line(3, "a b"), new KvLines.Line(5, "c d"), new KvLines.Line(6, "e#f"), new KvLines.Line(7, "g"));
        assertThat(parse("")).isEmpty();
        assertThat(parse("last line without newline")).containsExactly(new KvLines.Line(1, "last line without newline"));
        assertThat(parse("a  \tb c").get(0).words()).containsExactly("a", "b", "c");
    }

    @Test
    void crlfLineEndsAreLineEndsButALoneCrIsNot() throws Exception {
        assertThat(parse("a\r\n\r\nb\r\n")).containsExactly(new KvLines.Line(1, "a"), new KvLines.Line(3, "b"));
        assertThatThrownBy(() -> parse("a\rb\n")).isInstanceOf(KvException.class)
                .hasMessage("f.txt:1: content: control character 0x0d at column 2");
    }

    @Test
    void aLeadingByteOrderMarkIsSkippedAnotherIsAnError() throws Exception {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'a', '\n'};
        assertThat(KvLines.parse("f.txt", bom)).containsExactly(new KvLines.Line(1, "a"));
        assertThatThrownBy(() -> parse("a\nb\ufeff\n")).hasMessage("f.txt:2: content: byte order mark at column 2 (only allowed at the start of the file)");
    }

    @Test
    void malformedUtf8NamesLineAndByte() throws Exception {
        byte[] latin1 = {'a', '\n', '\n', 'x', (byte) 0xe9, 't', '\n'};
        assertThatThrownBy(() -> KvLines.parse("f.txt", latin1)).isInstanceOf(KvException.class)
                .hasMessage("f.txt:3: content: not UTF-8 text (byte 0xe9 at byte 2 of the line)")
                .satisfies(e -> {
                    KvException k = (KvException) e;
                    assertThat(k.file()).isEqualTo("f.txt");
                    assertThat(k.line()).isEqualTo(3);
                    assertThat(k.field()).isEqualTo("content");
                });
        byte[] truncated = {'a', (byte) 0xc3};
        assertThatThrownBy(() -> KvLines.parse("f.txt", truncated)).hasMessageStartingWith("f.txt:1: content: not UTF-8 text");
        byte[] overlong = {(byte) 0xc0, (byte) 0xaf, '\n'};
        assertThatThrownBy(() -> KvLines.parse("f.txt", overlong)).hasMessageStartingWith("f.txt:1: content: not UTF-8 text");
        assertThat(KvLines.parse("f.txt", "größe ✓\n".getBytes(StandardCharsets.UTF_8)).get(0).text()).isEqualTo("größe ✓");
    }

    @Test
    void controlCharactersAreErrorsTabsAreBlanks() throws Exception {
        assertThatThrownBy(() -> parse("ok\nb\0c\n")).hasMessage("f.txt:2: content: control character 0x00 at column 2");
        assertThat(parse("\ta\tb\t").get(0).text()).isEqualTo("a\tb");
    }

    @Test
    void overSizeIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> KvLines.parse("f.txt", new byte[11], 10)).hasMessage("f.txt: file: larger than 10 bytes");
        assertThat(KvLines.parse("f.txt", "a\n".getBytes(StandardCharsets.UTF_8), 2)).hasSize(1);
        Path big = dir.resolve("big");
        Files.write(big, new byte[100]);
        assertThatThrownBy(() -> KvLines.readBounded(big, "big", 99)).hasMessage("big: file: larger than 99 bytes");
        assertThat(KvLines.readBounded(big, "big", 100)).hasSize(100);
    }

    @Test
    void boundedReadStopsOnAnEndlessDevice() throws Exception {
        assertThatThrownBy(() -> KvLines.readBounded(Path.of("/dev/zero"), "zero", 1 << 16)).hasMessage("zero: file: larger than 65536 bytes");
    }
}
