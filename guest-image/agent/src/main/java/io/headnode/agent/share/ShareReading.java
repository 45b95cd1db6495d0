package io.headnode.agent.share;

import io.headnode.contract.AgentStatus;
import java.util.Objects;
import java.util.Optional;

/** The outcome of one poll of the share: missing, invalid (with the file:line: field message), or valid. */
public record ShareReading(Kind kind, String problem, Optional<ShareSnapshot> snapshot) {
    public enum Kind { MISSING, INVALID, VALID }

    public ShareReading {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(problem, "problem is null");
        Objects.requireNonNull(snapshot, "snapshot is null");
        if ((kind == Kind.VALID) != snapshot.isPresent()) {
            throw new IllegalArgumentException("a snapshot comes exactly with a valid reading");
        }
    }

    public static ShareReading missing(String why) {
        return new ShareReading(Kind.MISSING, why, Optional.empty());
    }

    public static ShareReading invalid(String why) {
        return new ShareReading(Kind.INVALID, why, Optional.empty());
    }

    public static ShareReading valid(ShareSnapshot s) {
        return new ShareReading(Kind.VALID, "", Optional.of(s));
    }

    /** The share as the status shows it: mounted-ro, missing, or invalid with the file:line: field message. */
    public AgentStatus.Share share() {
        return switch (kind) {
            case VALID -> AgentStatus.Share.mounted();
            case MISSING -> AgentStatus.Share.missing();
            case INVALID -> AgentStatus.Share.invalid(problem);
        };
    }
}
