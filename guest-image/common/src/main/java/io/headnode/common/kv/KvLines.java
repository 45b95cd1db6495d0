package io.headnode.common.kv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The line rules every Headnode text file shares (the {@code key = value} files and the share's word lists):
 * <ul>
 *   <li>at most {@link #MAX_BYTES} bytes (or the caller's bound);</li>
 *   <li>strict UTF-8: a malformed byte is an error naming its line and column; a leading byte order mark is skipped;</li>
 *   <li>lines end with LF or CRLF; any other control character (but tab) is an error;</li>
 *   <li>a {@code #} at the start of a line or after a space or tab starts a comment that runs to the end of the
 *       line ({@code a#b} is a value, {@code a #b} is {@code a} and a comment);</li>
 *   <li>blanks around a line are dropped, and so are lines left empty.</li>
 * </ul>
 */
public final class KvLines {
    /** The default size bound of a file. */
    public static final int MAX_BYTES = 4 << 20;
    private static final byte[] BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    /** A meaningful line: its 1-based number and its text without comment and surrounding blanks. */
    public record Line(int number, String text) {
        /** The line split at runs of blanks. */
        public String[] words() {
            return text.split("[ \\t]+");
        }
    }

    private KvLines() {
    }

    public static List<Line> parse(String file, byte[] content) throws KvException {
        return parse(file, content, MAX_BYTES);
    }

    public static List<Line> parse(String file, byte[] content, int maxBytes) throws KvException {
        return parse(file, content, maxBytes, Integer.MAX_VALUE);
    }

    /**
     * As {@link #parse(String, byte[], int)}, with at most {@code maxLines} meaningful lines (not blank, not comment):
     * one more is an error at its line, found before it is kept, so a file of many short lines under its size bound
     * cannot fill the heap with line objects.
     */
    public static List<Line> parse(String file, byte[] content, int maxBytes, int maxLines) throws KvException {
        if (content.length > maxBytes) {
            throw tooLarge(file, maxBytes);
        }
        int start = startsWithBom(content) ? BOM.length : 0;
        List<Line> lines = new ArrayList<>();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int number = 0;
        while (start < content.length) {
            number++;
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int textEnd = end > start && content[end - 1] == '\r' ? end - 1 : end;
            String text = clean(file, number, decode(decoder, file, number, content, start, textEnd));
            if (!text.isEmpty()) {
                if (lines.size() == maxLines) {
                    throw new KvException(file, number, "", "more than " + maxLines + " entries (lines that are not blank or a comment)");
                }
                lines.add(new Line(number, text));
            }
            start = end + 1;
        }
        return lines;
    }

    /**
     * Reads at most {@code maxBytes} of a file without trusting its reported size (a device or a 9p file may report
     * 0 and never end). Does not check what kind of file it is: callers do.
     */
    public static byte[] readBounded(Path path, String file, int maxBytes) throws IOException, KvException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] content = in.readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw tooLarge(file, maxBytes);
            }
            return content;
        }
    }

    static KvException tooLarge(String file, int maxBytes) {
        return new KvException(file, 0, "file", "larger than " + maxBytes + " bytes");
    }

    private static boolean startsWithBom(byte[] content) {
        return content.length >= BOM.length && content[0] == BOM[0] && content[1] == BOM[1] && content[2] == BOM[2];
    }

    private static String decode(CharsetDecoder decoder, String file, int number, byte[] content, int start, int end) throws KvException {
        ByteBuffer in = ByteBuffer.wrap(content, start, end - start);
        CharBuffer out = CharBuffer.allocate(end - start);
        decoder.reset();
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int bad = in.position();
            throw new KvException(file, number, "content", String.format(Locale.ROOT,
                    "not UTF-8 text (byte 0x%02x at byte %d of the line)", content[bad] & 0xff, bad - start + 1));
        }
        return out.flip().toString();
    }

    private static String clean(String file, int number, String raw) throws KvException {
        int comment = -1;
        for (int c = 0; c < raw.length(); c++) {
            char ch = raw.charAt(c);
            if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                throw new KvException(file, number, "content", String.format(Locale.ROOT, "control character 0x%02x at column %d", (int) ch, c + 1));
            }
            if (ch == '\ufeff') {
                throw new KvException(file, number, "content", "byte order mark at column " + (c + 1) + " (only allowed at the start of the file)");
            }
            if (ch == '#' && comment < 0 && (c == 0 || raw.charAt(c - 1) == ' ' || raw.charAt(c - 1) == '\t')) {
                comment = c;
            }
        }
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }
}
