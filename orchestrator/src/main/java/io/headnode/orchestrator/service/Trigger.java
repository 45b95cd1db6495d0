package io.headnode.orchestrator.service;

/** Why a VLAN is reconciled: the periodic pass, a libvirt event, or the retry of a failed pass. */
public enum Trigger {
    PERIODIC, EVENT, RETRY;

    /** The label value in metrics and logs. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
