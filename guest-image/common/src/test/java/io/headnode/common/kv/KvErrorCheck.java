package io.headnode.common.kv;

import static org.assertj.core.api.Assertions.assertThat;

/** The fuzz tests' check of a refusal: it names the file and a line of the input, on one line. */
final class KvErrorCheck {
    private KvErrorCheck() {
    }

    static void namesFileAndLine(KvException e, String file, byte[] content) {
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.line()).isBetween(0, lineCount(content));
        assertThat(e.problem()).isNotBlank();
        assertThat(e.getMessage()).startsWith(file + (e.line() > 0 ? ":" + e.line() : "") + ": ")
                .doesNotContainPattern("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
    }

    static int lineCount(byte[] content) {
        int lines = 0;
        for (byte b : content) {
            lines += b == '\n' ? 1 : 0;
        }
        return content.length > 0 && content[content.length - 1] != '\n' ? lines + 1 : lines;
    }
}
