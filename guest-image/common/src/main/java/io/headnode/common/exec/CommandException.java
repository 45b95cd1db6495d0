package io.headnode.common.exec;

import java.util.Objects;

/**
 * A subprocess that could not run, timed out or failed where failure was not expected: the one exception of
 * {@link CommandRunner}. {@link #kind()} tells which, for callers that treat a timeout differently from a refusal.
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the command gave no usable result. */
    public enum Kind {
        /** Still running when its timeout passed; it and its descendants were killed. */
        TIMED_OUT,
        /** The program could not be started (missing, not executable, bad working directory). */
        CANNOT_START,
        /** The calling thread was interrupted while waiting; the process was killed. */
        INTERRUPTED,
        /** It ran but its result was not acceptable (a non-zero exit, output that does not parse, ...). */
        FAILED
    }

    private final Kind kind;

    public CommandException(String message) {
        this(Kind.FAILED, message, null);
    }

    public CommandException(String message, Throwable cause) {
        this(Kind.FAILED, message, cause);
    }

    public CommandException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind is null");
    }

    public Kind kind() {
        return kind;
    }
}
