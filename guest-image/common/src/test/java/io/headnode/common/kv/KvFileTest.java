package io.headnode.common.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvFileTest {
    private static KvFile parse(String s) throws KvException {
        return KvFile.parse("a.conf", s.getBytes(StandardCharsets.UTF_8));
    }

    private record Port(int port) {
        Port {
            if (port < 1 || port > 65535) {
                throw new FieldException("port", port + " is outside 1..65535");
            }
        }
    }

    @Test
    void keysAndValuesWithBlanksCommentsAndCrlf() throws Exception {
        KvFile f = parse("# settings\r\n  name =  a b  \r\n\r\nempty =\nurl = x=y#z # comment\n");
        assertThat(f.keys()).containsExactly("name", "empty", "url");
        assertThat(f.text("name")).contains("a b");
        assertThat(f.text("empty")).contains("");
        assertThat(f.text("url")).contains("x=y#z");
        assertThat(f.entry("url").orElseThrow().line()).isEqualTo(5);
        assertThat(f.text("none")).isEmpty();
        assertThat(f.file()).isEqualTo("a.conf");
    }

    @Test
    void duplicateKeyNamesBothLines() {
        assertThatThrownBy(() -> parse("a = 1\n\na = 2\n")).isInstanceOf(KvException.class).hasMessage("a.conf:3: a: given twice (first on line 1)");
    }

    @Test
    void missingEqualsOrKeyIsAnError() {
        assertThatThrownBy(() -> parse("a = 1\njust words\n")).hasMessage("a.conf:2: expected 'key = value'");
        assertThatThrownBy(() -> parse(" = 1\n")).hasMessage("a.conf:1: expected 'key = value'");
    }

    @Test
    void lineRulesApply() {
        assertThatThrownBy(() -> KvFile.parse("a.conf", new byte[] {'a', '=', (byte) 0xff, '\n'})).hasMessageStartingWith("a.conf:1: content: not UTF-8 text");
        assertThatThrownBy(() -> KvFile.parse("a.conf", "a = 1\n".getBytes(StandardCharsets.UTF_8), 3)).hasMessage("a.conf: file: larger than 3 bytes");
    }

    @Test
    void unknownKeysAreReportedAtTheirLine() throws Exception {
        assertThatThrownBy(() -> parse("a = 1\ncolour = red\n").requireKnown(Set.of("b", "a")))
                .hasMessage("a.conf:2: colour: unknown key (known: a, b)");
        assertThat(parse("a = 1\n").requireKnown(Set.of("a", "b")).keys()).containsExactly("a");
    }

    @Test
    void typedAccessorsNameLineAndKey() throws Exception {
        KvFile f = parse("n = 12\nbad = twelve\nflag = yes\nwords = ip  netns exec x\n");
        assertThat(f.get("n", KvValues::wholeNumber, 1)).isEqualTo(12);
        assertThat(f.get("absent", KvValues::wholeNumber, 1)).isEqualTo(1);
        assertThat(f.optional("absent", KvValues::wholeNumber)).isEqualTo(Optional.empty());
        assertThat(f.required("flag", KvValues::bool)).isTrue();
        assertThat(f.required("words", KvValues::words)).isEqualTo(List.of("ip", "netns", "exec", "x"));
        assertThatThrownBy(() -> f.get("bad", KvValues::wholeNumber, 1)).hasMessage("a.conf:2: bad: 'twelve' is not a whole number");
        assertThatThrownBy(() -> f.required("missing", KvValues::wholeNumber)).hasMessage("a.conf: missing: missing");
        assertThatThrownBy(() -> f.required("bad", KvValues::bool)).hasMessage("a.conf:2: bad: 'twelve' is not true or false");
    }

    @Test
    void aParserThatGivesNoReasonStillGivesTheValue() throws Exception {
        // found by SpecCodecFuzzTest: UUID.fromString("8c0f4a5e-6d1a-3f2b97e1--ca2b3c4d5e6f") throws with an empty
        // message, and the error read "100.spec:8: uuid: " with nothing after it
        KvFile f = parse("a = 1\nuuid = 8c0f4a5e-6d1a-3f2b97e1--ca2b3c4d5e6f\n");
        assertThatThrownBy(() -> f.required("uuid", java.util.UUID::fromString))
                .hasMessage("a.conf:2: uuid: '8c0f4a5e-6d1a-3f2b97e1--ca2b3c4d5e6f' is not valid");
        assertThatThrownBy(() -> f.required("a", v -> {
            throw new IllegalArgumentException((String) null);
        })).hasMessage("a.conf:1: a: '1' is not valid");
        assertThatThrownBy(() -> KvValues.field("n", "x", v -> {
            throw new NumberFormatException("");
        })).hasMessage("n: 'x' is not valid");
    }

    @Test
    void buildAttributesARecordsFieldExceptionToItsLine() throws Exception {
        KvFile f = parse("# x\nport = 0\n");
        int port = f.required("port", KvValues::wholeNumber);
        assertThatThrownBy(() -> f.build(() -> new Port(port))).hasMessage("a.conf:2: port: 0 is outside 1..65535");
        assertThatThrownBy(() -> parse("\n").build(() -> new Port(0))).hasMessage("a.conf: port: 0 is outside 1..65535");
        assertThatThrownBy(() -> f.build(() -> {
            throw new IllegalArgumentException("a and b disagree");
        })).hasMessage("a.conf: a and b disagree");
        assertThat(f.build(() -> new Port(80))).isEqualTo(new Port(80));
    }

    @Test
    void linesWrittenReadBackOrAreRefused() throws Exception {
        String text = KvFile.line("cmdline", "root=/dev/vda a#b") + KvFile.line("empty", "");
        assertThat(parse(text).text("cmdline")).contains("root=/dev/vda a#b");
        assertThat(parse(text).text("empty")).contains("");
        assertThatThrownBy(() -> KvFile.line("cmdline", "quiet #x")).isInstanceOf(FieldException.class).hasMessageStartingWith("cmdline: 'quiet #x' cannot be stored");
        assertThatThrownBy(() -> KvFile.line("cmdline", "a\nb = c")).isInstanceOf(FieldException.class);
        assertThatThrownBy(() -> KvFile.line("cmdline", " a")).isInstanceOf(FieldException.class);
        assertThatThrownBy(() -> KvFile.line("a=b", "c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsARegularFileOnly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.conf");
        Files.writeString(f, "a = 1\n");
        assertThat(KvFile.read(f).file()).isEqualTo(f.toString());
        assertThat(KvFile.read(f).text("a")).contains("1");
        assertThatThrownBy(() -> KvFile.read(dir.resolve("none.conf"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> KvFile.read(dir)).hasMessage(dir + ": file: not a regular file");
        assertThatThrownBy(() -> KvFile.read(Path.of("/dev/zero"))).hasMessage("/dev/zero: file: not a regular file");
    }
}
