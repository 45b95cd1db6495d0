package io.headnode.orchestrator.reconcile;

/**
 * One convergence step: compares the desired state (the spec) with the actual one and returns the {@link Plan} of
 * typed actions that would make them agree. A step changes nothing itself: the {@link Reconciler} prints the plan
 * (dry run) or applies it. A plan for a converged state is empty, so applying twice changes once.
 */
public interface Step {
    String name();

    /** Reads the actual state; throws (one clear message) when it cannot be converged, e.g. a domain that is not ours. */
    Plan plan(StepContext ctx) throws Exception;
}
