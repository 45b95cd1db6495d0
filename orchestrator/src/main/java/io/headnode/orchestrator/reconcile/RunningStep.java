package io.headnode.orchestrator.reconcile;

import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
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
    public StepResult apply(StepContext ctx) {
        String name = HeadnodePaths.domainName(ctx.spec().vlan());
        RunState state = ctx.domain().map(d -> d.state()).orElse(RunState.SHUTOFF);
        List<String> changes = new ArrayList<>();
        if (state == RunState.RUNNING && ctx.restartNeeded()) {
            changes.add("restart " + name + " to apply the changes above");
            if (!ctx.dryRun()) {
                hypervisor.destroy(name);
                hypervisor.start(name);
            }
        } else if (state == RunState.PAUSED) {
            changes.add("resume " + name);
            if (!ctx.dryRun()) {
                hypervisor.resume(name);
            }
        } else if (state != RunState.RUNNING) {
            changes.add("start " + name + " (was " + state.name().toLowerCase(java.util.Locale.ROOT) + ")");
            if (!ctx.dryRun()) {
                if (state != RunState.SHUTOFF) {
                    hypervisor.destroy(name);
                }
                hypervisor.start(name);
            }
        }
        return StepResult.of(name(), ctx.dryRun(), changes);
    }
}
