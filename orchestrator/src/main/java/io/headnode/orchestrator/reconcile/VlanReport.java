package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.action.Action;
import java.util.List;
import java.util.Objects;

/** The result of reconciling one VLAN: each step in order. */
public record VlanReport(Vlan vlan, String action, boolean dryRun, List<StepResult> steps) {
    public VlanReport {
        Objects.requireNonNull(vlan, "vlan is null");
        steps = List.copyOf(steps);
    }

    public boolean failed() {
        return steps.stream().anyMatch(s -> s.outcome() == Outcome.FAILED);
    }

    public boolean changed() {
        return steps.stream().anyMatch(StepResult::changed);
    }

    /** Every action of the pass, in order: planned (dry run) or applied. */
    public List<Action> actions() {
        return steps.stream().flatMap(s -> s.actions().stream()).toList();
    }

    /** Multi-line human summary: a headline, then one line per action and per skipped or failed step. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        String state = failed() ? "FAILED" : changed() ? (dryRun ? "would change" : "changed") : "no change";
        b.append("vlan ").append(vlan).append(" (").append(action).append("): ").append(state).append('\n');
        for (StepResult s : steps) {
            String tag = s.outcome() == Outcome.WOULD_CHANGE ? "would" : "changed";
            for (Action a : s.actions()) {
                b.append("  ").append(s.step()).append(": ").append(tag).append(": ").append(a.describe()).append('\n');
            }
            if (s.outcome() == Outcome.SKIPPED || s.outcome() == Outcome.FAILED) {
                b.append("  ").append(s.step()).append(": ").append(s.outcome() == Outcome.SKIPPED ? "skipped" : "FAILED")
                        .append(s.message().isEmpty() ? "" : ": " + s.message()).append('\n');
            }
        }
        return b.toString();
    }
}
