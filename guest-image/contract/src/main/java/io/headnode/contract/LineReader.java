package io.headnode.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a share file into lines: strict UTF-8, no NUL or control bytes, CRLF tolerated, # comments dropped. */
final class LineReader {
    /** A meaningful line: its 1-based number and its text with comment and surrounding blanks removed. */
    record Line(int number, String text) {
        String[] fields() {
            return text.split("[ \\t]+");
        }
    }

    private LineReader() {
    }

    static List<Line> read(String file, byte[] content) throws ShareFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new ShareFormatException(file, lineOfFirstBadByte(content), "content", "not UTF-8 text");
        }
        List<Line> lines = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i];
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            for (int c = 0; c < l.length(); c++) {
                char ch = l.charAt(c);
                if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                    throw new ShareFormatException(file, i + 1, "content", String.format("control character 0x%02x at column %d", (int) ch, c + 1));
                }
            }
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash);
            }
            l = l.strip();
            if (!l.isEmpty()) {
                lines.add(new Line(i + 1, l));
            }
        }
        return lines;
    }

    private static int lineOfFirstBadByte(byte[] content) {
        int line = 1;
        for (byte b : content) {
            if (b == '\n') {
                line++;
            } else if (b < 0) {
                return line;
            }
        }
        return line;
    }
}
