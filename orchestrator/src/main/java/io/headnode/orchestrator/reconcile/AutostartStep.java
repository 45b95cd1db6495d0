package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.reconcile.action.SetAutostart;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.Objects;

/**
 * Step 6a: libvirt autostart. On for a single host, so the head node comes back with the hypervisor. Off in cluster
 * mode: a hypervisor that comes back must not start a head node before its service has asked ZooKeeper whether the
 * VLAN is still placed here (it may have moved while the host was down, and two head nodes would then serve it);
 * the service's first pass starts the ones that are.
 */
public final class AutostartStep implements Step {
    private final Hypervisor hypervisor;
    private final boolean autostart;

    @Inject
    public AutostartStep(Hypervisor hypervisor, HostConfig config) {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
        this.autostart = config.cluster().zookeeper().isEmpty();
    }

    @Override
    public String name() {
        return "autostart";
    }

    @Override
    public Plan plan(StepContext ctx) {
        if (ctx.domain().map(DomainStatus::autostart).orElse(false) == autostart) {
            return Plan.none();
        }
        return Plan.of(new SetAutostart(hypervisor, HeadnodePaths.domainName(ctx.spec().vlan()), autostart));
    }
}
