package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
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
    public StepResult apply(StepContext ctx) {
        String name = HeadnodePaths.domainName(ctx.spec().vlan());
        Optional<DomainStatus> d = hypervisor.lookup(name);
        if (d.isEmpty()) {
            return StepResult.unchanged(name());
        }
        if (!d.get().uuid().equalsIgnoreCase(ctx.spec().uuid().toString())) {
            throw new IllegalStateException("domain " + name + " has uuid " + d.get().uuid() + ", not the spec's "
                    + ctx.spec().uuid() + ": not ours, left alone");
        }
        List<String> changes = new ArrayList<>();
        if (d.get().state() != RunState.SHUTOFF) {
            changes.add("stop " + name);
            if (!ctx.dryRun()) {
                hypervisor.destroy(name);
            }
        }
        changes.add("undefine " + name);
        if (!ctx.dryRun()) {
            hypervisor.undefine(name);
        }
        return StepResult.of(name(), ctx.dryRun(), changes);
    }
}
