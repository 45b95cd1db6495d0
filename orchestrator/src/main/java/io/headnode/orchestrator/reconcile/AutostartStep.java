package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.List;
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
    public StepResult apply(StepContext ctx) {
        String name = HeadnodePaths.domainName(ctx.spec().vlan());
        if (ctx.domain().map(d -> d.autostart()).orElse(false)) {
            return StepResult.unchanged(name());
        }
        if (!ctx.dryRun()) {
            hypervisor.setAutostart(name, true);
        }
        return StepResult.of(name(), ctx.dryRun(), List.of("autostart " + name));
    }
}
