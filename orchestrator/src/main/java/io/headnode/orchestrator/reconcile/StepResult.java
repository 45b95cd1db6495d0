package io.headnode.orchestrator.reconcile;

import java.util.List;
import java.util.Objects;

/** One step's outcome, with what it changed (or would change, or why it failed). */
public record StepResult(String step, Outcome outcome, List<String> details) {
    public StepResult {
        Objects.requireNonNull(step, "step is null");
        Objects.requireNonNull(outcome, "outcome is null");
        details = List.copyOf(details);
    }

    public static StepResult unchanged(String step) {
        return new StepResult(step, Outcome.UNCHANGED, List.of());
    }

    public static StepResult skipped(String step, String why) {
        return new StepResult(step, Outcome.SKIPPED, List.of(why));
    }

    /** CHANGED, or WOULD_CHANGE in a dry run; UNCHANGED when {@code changes} is empty. */
    public static StepResult of(String step, boolean dryRun, List<String> changes) {
        if (changes.isEmpty()) {
            return unchanged(step);
        }
        return new StepResult(step, dryRun ? Outcome.WOULD_CHANGE : Outcome.CHANGED, changes);
    }

    public boolean changed() {
        return outcome == Outcome.CHANGED || outcome == Outcome.WOULD_CHANGE;
    }
}
