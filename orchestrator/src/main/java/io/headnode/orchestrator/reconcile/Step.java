package io.headnode.orchestrator.reconcile;

/** One idempotent convergence step: checks the actual state, changes it only where it differs (not in a dry run). */
public interface Step {
    String name();

    StepResult apply(StepContext ctx) throws Exception;
}
