package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;
import java.time.Duration;

/** Told after each step: metrics time the steps; tests simulate a crash between steps. */
public interface ReconcileObserver {
    ReconcileObserver NONE = (vlan, step) -> { };

    /** After a step that did not fail (before the next one plans). */
    void afterStep(Vlan vlan, String step);

    /** After every step, failed or not, with the time it took to plan and apply. */
    default void stepFinished(Vlan vlan, StepResult result, Duration took) {
    }
}
