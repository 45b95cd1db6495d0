package io.headnode.agent.apply;

import java.util.List;
import java.util.Objects;

/** What one {@link ApplyStep#apply} did. */
public sealed interface StepResult {
    StepResult UNCHANGED = new Unchanged();

    /** Everything was in line already. */
    record Unchanged() implements StepResult {
    }

    /** Changes were made, each described in a few words ("+10.0.5.1/24", "dhcpd.conf: 12 hosts, dhcpd restarted"). */
    record Changed(List<String> changes) implements StepResult {
        public Changed {
            changes = List.copyOf(changes);
            if (changes.isEmpty()) {
                throw new IllegalArgumentException("a change needs a description; use UNCHANGED");
            }
        }
    }

    /** Not in line; why (retried after the step's backoff). */
    record Failed(String reason) implements StepResult {
        public Failed {
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    /** UNCHANGED for no changes, else {@link Changed}. */
    static StepResult of(List<String> changes) {
        return changes.isEmpty() ? UNCHANGED : new Changed(changes);
    }
}
