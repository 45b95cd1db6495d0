package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;
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

    /** Multi-line human summary: a headline, then one line per step that did (or would do) something. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        String state = failed() ? "FAILED" : changed() ? (dryRun ? "would change" : "changed") : "no change";
        b.append("vlan ").append(vlan).append(" (").append(action).append("): ").append(state).append('\n');
        for (StepResult s : steps) {
            if (s.outcome() == Outcome.UNCHANGED) {
                continue;
            }
            String tag = switch (s.outcome()) {
                case CHANGED -> "changed";
                case WOULD_CHANGE -> "would";
                case SKIPPED -> "skipped";
                case FAILED -> "FAILED";
                default -> "";
            };
            for (String d : s.details().isEmpty() ? List.of("") : s.details()) {
                b.append("  ").append(s.step()).append(": ").append(tag).append(d.isEmpty() ? "" : ": " + d).append('\n');
            }
        }
        return b.toString();
    }
}
