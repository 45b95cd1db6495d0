package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The pipeline's observer: none by default, so a one-shot command pays for nothing; the reconcile service adds its
 * metrics when it starts.
 */
@Singleton
public final class ReconcileObservers implements ReconcileObserver {
    private final List<ReconcileObserver> observers = new CopyOnWriteArrayList<>();

    public void add(ReconcileObserver o) {
        observers.add(Objects.requireNonNull(o, "observer is null"));
    }

    @Override
    public void afterStep(Vlan vlan, String step) {
        observers.forEach(o -> o.afterStep(vlan, step));
    }

    @Override
    public void stepFinished(Vlan vlan, StepResult result, Duration took) {
        observers.forEach(o -> o.stepFinished(vlan, result, took));
    }
}
