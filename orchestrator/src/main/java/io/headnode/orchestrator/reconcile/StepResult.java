package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.reconcile.action.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One step's outcome: the actions it applied (CHANGED), would apply (WOULD_CHANGE) or applied before it failed
 * (FAILED), and for SKIPPED and FAILED the one-line reason.
 */
public record StepResult(String step, Outcome outcome, List<Action> actions, String message) {
    public StepResult {
        Objects.requireNonNull(step, "step is null");
        Objects.requireNonNull(outcome, "outcome is null");
        actions = List.copyOf(actions);
        Objects.requireNonNull(message, "message is null");
    }

    public static StepResult unchanged(String step) {
        return new StepResult(step, Outcome.UNCHANGED, List.of(), "");
    }

    public static StepResult skipped(String step, String why) {
        return new StepResult(step, Outcome.SKIPPED, List.of(), why);
    }

    public static StepResult failed(String step, List<Action> applied, String why) {
        return new StepResult(step, Outcome.FAILED, applied, why);
    }

    /** CHANGED, or WOULD_CHANGE in a dry run; UNCHANGED when there are no actions. */
    public static StepResult of(String step, boolean dryRun, List<Action> actions) {
        if (actions.isEmpty()) {
            return unchanged(step);
        }
        return new StepResult(step, dryRun ? Outcome.WOULD_CHANGE : Outcome.CHANGED, actions, "");
    }

    public boolean changed() {
        return outcome == Outcome.CHANGED || outcome == Outcome.WOULD_CHANGE;
    }

    /** One line per action, then the reason (if any). */
    public List<String> details() {
        List<String> out = new ArrayList<>();
        actions.forEach(a -> out.add(a.describe()));
        if (!message.isEmpty()) {
            out.add(message);
        }
        return out;
    }
}
