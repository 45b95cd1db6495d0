package io.headnode.orchestrator.reconcile;

/** What a step did. */
public enum Outcome {
    /** Already as desired. */
    UNCHANGED,
    /** Changed something to converge. */
    CHANGED,
    /** Dry run: would change. */
    WOULD_CHANGE,
    /** Does not apply here (e.g. no AppArmor abstraction on this host). */
    SKIPPED,
    FAILED
}
