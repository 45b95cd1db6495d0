package io.headnode.orchestrator.libvirt;

/** Our view of a domain's state: the few cases the reconciler treats differently. */
public enum RunState {
    RUNNING, PAUSED, SHUTOFF, CRASHED, OTHER
}
