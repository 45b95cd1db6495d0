package io.headnode.power;

import java.util.Objects;

/** What a power call really did. {@link #succeeded()} is true only for DONE and ALREADY. */
public record PowerOutcome(Kind kind, PowerState state, String detail) {
    public enum Kind { DONE, ALREADY, REFUSED, UNREACHABLE, TIMED_OUT }

    public PowerOutcome {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(detail, "detail is null");
    }

    public boolean succeeded() {
        return kind == Kind.DONE || kind == Kind.ALREADY;
    }
}
