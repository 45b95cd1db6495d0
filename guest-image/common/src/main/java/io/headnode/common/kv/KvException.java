package io.headnode.common.kv;

import java.util.Objects;

/**
 * A text file that cannot be used, in one format for every file Headnode reads: {@code file:line: field: problem}.
 * The line is 1-based (0 when the whole file is at fault, then it is left out); the field is the key or column at
 * fault (empty when the line as a whole is, then it is left out). An operator can fix the file without guessing.
 * The message is always one line: a control character anywhere in it (a file name from the share may hold a line
 * break, a link may point at one) is written as a backslash, u and four hex digits, so an error cannot forge log lines.
 * It is also bounded: the file name is cut at 512 characters, the field at 128 and the problem at 1,024 (a 1 MB
 * unknown key gives a short log line, not a 1 MB one).
 */
public class KvException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final String field;
    private final String problem;

    public KvException(String file, int line, String field, String problem) {
        super(format(file, line, field, problem));
        this.file = Objects.requireNonNull(file, "file is null");
        this.line = line;
        this.field = Objects.requireNonNull(field, "field is null");
        this.problem = Objects.requireNonNull(problem, "problem is null");
    }

    private static String format(String file, int line, String field, String problem) {
        return oneLine(cut(file, 512) + (line > 0 ? ":" + line : "") + ": "
                + (field == null || field.isEmpty() ? "" : cut(field, 128) + ": ") + cut(problem, 1024));
    }

    /** {@code s}, or its first {@code max} characters and how long it was. */
    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + " characters)";
    }

    /** {@code s} with every control character but tab (and the Unicode line and paragraph separators) escaped. */
    public static String oneLine(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x2028 || c == 0x2029;
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    public String file() {
        return file;
    }

    /** 1-based; 0 when the whole file is at fault. */
    public int line() {
        return line;
    }

    /** The key or column at fault; empty when the line as a whole is. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
