package io.headnode.common.kv;

import java.util.Objects;

/**
 * A value that a record refuses, naming the field (the key it has in its file). Records that are read from
 * {@code key = value} files throw it from their constructors, so {@link KvFile#build} can add file and line
 * without guessing the key from a message.
 */
public class FieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String problem;

    public FieldException(String field, String problem) {
        super(Objects.requireNonNull(field, "field is null") + ": " + Objects.requireNonNull(problem, "problem is null"));
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
