package io.headnode.common.libvirt;

/** Our view of a domain's state: the few cases callers treat differently. */
public enum RunState {
    /** VIR_DOMAIN_RUNNING or VIR_DOMAIN_BLOCKED. */
    RUNNING,
    /** VIR_DOMAIN_PAUSED or VIR_DOMAIN_PMSUSPENDED. */
    PAUSED,
    /** VIR_DOMAIN_SHUTDOWN: the guest is shutting down, QEMU still runs. */
    SHUTTING_DOWN,
    SHUTOFF,
    CRASHED,
    /** VIR_DOMAIN_NOSTATE or a state newer than this code. */
    OTHER
}
