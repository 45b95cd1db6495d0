package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.reconcile.action.SetAutostart;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.Objects;

/** Step 6a: autostart on, so the head node comes back with the hypervisor. */
public final class AutostartStep implements Step {
    private final Hypervisor hypervisor;

    @Inject
    public AutostartStep(Hypervisor hypervisor) {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
    }

    @Override
    public String name() {
        return "autostart";
    }

    @Override
    public Plan plan(StepContext ctx) {
        if (ctx.domain().map(DomainStatus::autostart).orElse(false)) {
            return Plan.none();
        }
        return Plan.of(new SetAutostart(hypervisor, HeadnodePaths.domainName(ctx.spec().vlan())));
    }
}
