package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.reconcile.action.Action;
import io.headnode.orchestrator.reconcile.action.StopDomain;
import io.headnode.orchestrator.reconcile.action.UndefineDomain;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Delete step 1: stop and undefine the domain (only if its uuid is the spec's: never someone else's). */
public final class RemoveDomainStep implements Step {
    private final Hypervisor hypervisor;

    @Inject
    public RemoveDomainStep(Hypervisor hypervisor) {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
    }

    @Override
    public String name() {
        return "domain";
    }

    @Override
    public Plan plan(StepContext ctx) {
        String name = HeadnodePaths.domainName(ctx.spec().vlan());
        Optional<DomainStatus> d = hypervisor.lookup(name);
        if (d.isEmpty()) {
            return Plan.none();
        }
        if (!d.get().uuid().equalsIgnoreCase(ctx.spec().uuid().toString())) {
            throw new IllegalStateException("domain " + name + " has uuid " + d.get().uuid() + ", not the spec's "
                    + ctx.spec().uuid() + ": not ours, left alone");
        }
        List<Action> actions = new ArrayList<>();
        if (d.get().state() != RunState.SHUTOFF) {
            actions.add(new StopDomain(hypervisor, name));
        }
        actions.add(new UndefineDomain(hypervisor, name));
        return Plan.of(actions);
    }
}
