package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;

/** Told after each step; tests use it to simulate a crash between steps. */
public interface ReconcileObserver {
    ReconcileObserver NONE = (vlan, step) -> { };

    void afterStep(Vlan vlan, String step);
}
