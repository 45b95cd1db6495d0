package io.headnode.common.kv;

import java.util.Objects;

/**
 * A text file that cannot be used, in one format for every file Headnode reads: {@code file:line: field: problem}.
 * The line is 1-based (0 when the whole file is at fault, then it is left out); the field is the key or column at
 * fault (empty when the line as a whole is, then it is left out). An operator can fix the file without guessing.
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
        return file + (line > 0 ? ":" + line : "") + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + problem;
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
