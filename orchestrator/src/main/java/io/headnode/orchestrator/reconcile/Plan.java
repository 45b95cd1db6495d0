package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.reconcile.action.Action;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step found: the actions that converge the actual state to the desired one, in order (none when they
 * already agree), or the reason the step does not apply here.
 */
public record Plan(List<Action> actions, Optional<String> skipped) {
    public Plan {
        actions = List.copyOf(actions);
        Objects.requireNonNull(skipped, "skipped is null");
        if (skipped.isPresent() && !actions.isEmpty()) {
            throw new IllegalArgumentException("a skipped step has no actions");
        }
    }

    public static Plan of(List<Action> actions) {
        return new Plan(actions, Optional.empty());
    }

    public static Plan of(Action... actions) {
        return of(List.of(actions));
    }

    /** Converged: nothing to do. */
    public static Plan none() {
        return of(List.of());
    }

    /** The step does not apply here (no AppArmor on this host, a bridge others still use). */
    public static Plan skip(String why) {
        return new Plan(List.of(), Optional.of(why));
    }
}
