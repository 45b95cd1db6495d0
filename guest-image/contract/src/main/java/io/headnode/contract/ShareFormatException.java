package io.headnode.contract;

import java.util.Objects;

/**
 * Bad content in a share file: names the file, the line (1-based, 0 when the whole file is at fault)
 * and the field, so an operator can fix it without guessing.
 */
public final class ShareFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final String field;
    private final String problem;

    public ShareFormatException(String file, int line, String field, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + field + ": " + problem);
        this.file = Objects.requireNonNull(file, "file is null");
        this.line = line;
        this.field = Objects.requireNonNull(field, "field is null");
        this.problem = Objects.requireNonNull(problem, "problem is null");
    }

    public String file() { return file; }
    public int line() { return line; }
    public String field() { return field; }
    public String problem() { return problem; }
}
