package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.reconcile.action.RestartDomain;
import io.headnode.orchestrator.reconcile.action.ResumeDomain;
import io.headnode.orchestrator.reconcile.action.StartDomain;
import io.headnode.orchestrator.reconcile.action.StopDomain;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.Objects;

/** Step 6b: running (resumed if paused; restarted when an earlier step changed what it runs on). */
public final class RunningStep implements Step {
    private final Hypervisor hypervisor;

    @Inject
    public RunningStep(Hypervisor hypervisor) {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
    }

    @Override
    public String name() {
        return "running";
    }

    @Override
    public Plan plan(StepContext ctx) {
        String name = HeadnodePaths.domainName(ctx.spec().vlan());
        RunState state = ctx.domain().map(DomainStatus::state).orElse(RunState.SHUTOFF);
        return switch (state) {
            case RUNNING -> ctx.restartNeeded() ? Plan.of(new RestartDomain(hypervisor, name)) : Plan.none();
            case PAUSED -> Plan.of(new ResumeDomain(hypervisor, name));
            case SHUTOFF -> Plan.of(new StartDomain(hypervisor, name, state));
            // crashed or in a state we do not manage: a hard stop first, then a clean start
            case CRASHED, SHUTTING_DOWN, OTHER -> Plan.of(new StopDomain(hypervisor, name), new StartDomain(hypervisor, name, state));
        };
    }
}
