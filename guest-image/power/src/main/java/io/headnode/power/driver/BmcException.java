package io.headnode.power.driver;

import io.headnode.power.PowerOutcome;
import java.util.Objects;

/**
 * A BMC call that did not succeed, classified. {@code retryable}: the same call may succeed later (busy, 5xx,
 * no answer); {@code maybeApplied}: the command may have reached the BMC although no answer confirmed it.
 */
public final class BmcException extends Exception {
    private static final long serialVersionUID = 1L;
    private final PowerOutcome.Kind kind;
    private final boolean retryable;
    private final boolean maybeApplied;

    private BmcException(PowerOutcome.Kind kind, String message, boolean retryable, boolean maybeApplied, Throwable cause) {
        super(Objects.requireNonNull(message, "message is null"), cause);
        if (kind == PowerOutcome.Kind.DONE || kind == PowerOutcome.Kind.ALREADY) {
            throw new IllegalArgumentException("a BmcException is a failure, not " + kind);
        }
        this.kind = kind;
        this.retryable = retryable;
        this.maybeApplied = maybeApplied;
    }

    /** The BMC answered and said no (bad credentials, unsupported, invalid request): retrying will not help. */
    public static BmcException refused(String message) {
        return new BmcException(PowerOutcome.Kind.REFUSED, message, false, false, null);
    }

    /** The BMC answered with a transient failure (HTTP 5xx, busy): the command was not carried out. */
    public static BmcException busy(String message) {
        return new BmcException(PowerOutcome.Kind.REFUSED, message, true, false, null);
    }

    /** The BMC could not be reached (connection refused, no route, no session): nothing was carried out. */
    public static BmcException unreachable(String message, Throwable cause) {
        return new BmcException(PowerOutcome.Kind.UNREACHABLE, message, true, false, cause);
    }

    /** No answer in time; the command may or may not have been carried out. */
    public static BmcException timedOut(String message, boolean maybeApplied) {
        return new BmcException(PowerOutcome.Kind.TIMED_OUT, message, true, maybeApplied, null);
    }

    public PowerOutcome.Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean maybeApplied() {
        return maybeApplied;
    }
}
