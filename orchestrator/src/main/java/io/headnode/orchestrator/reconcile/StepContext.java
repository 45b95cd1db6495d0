package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import java.util.Objects;
import java.util.Optional;

/** What the steps of one pass over one VLAN share. */
public final class StepContext {
    private final HeadnodeSpec spec;
    private final boolean dryRun;
    private Optional<DomainStatus> domain = Optional.empty();
    private boolean restartNeeded;

    public StepContext(HeadnodeSpec spec, boolean dryRun) {
        this.spec = Objects.requireNonNull(spec, "spec is null");
        this.dryRun = dryRun;
    }

    public HeadnodeSpec spec() {
        return spec;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** The domain as the domain step last saw it. */
    public Optional<DomainStatus> domain() {
        return domain;
    }

    public void domain(Optional<DomainStatus> d) {
        domain = d;
    }

    /** A running domain must be restarted to pick up a change (new definition, re-created disk). */
    public boolean restartNeeded() {
        return restartNeeded;
    }

    public void requestRestart() {
        restartNeeded = true;
    }
}
