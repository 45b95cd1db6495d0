package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import java.util.Objects;
import java.util.Optional;

/** What the steps of one pass over one VLAN share. The same in a dry run and a real run: steps never know which. */
public final class StepContext {
    private final HeadnodeSpec spec;
    private Optional<DomainStatus> domain = Optional.empty();
    private boolean restartNeeded;

    public StepContext(HeadnodeSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec is null");
    }

    public HeadnodeSpec spec() {
        return spec;
    }

    /**
     * The domain as the domain step found it (empty: not defined). A (re)definition keeps a domain's run state and
     * autostart flag, so this is also its state after the domain step's actions, in a dry run as in a real run.
     */
    public Optional<DomainStatus> domain() {
        return domain;
    }

    public void domain(Optional<DomainStatus> d) {
        domain = Objects.requireNonNull(d, "d is null");
    }

    /** A running domain must be restarted to pick up a change (new definition, re-made bridge, share or disk). */
    public boolean restartNeeded() {
        return restartNeeded;
    }

    public void requestRestart() {
        restartNeeded = true;
    }
}
