package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.domain.DomainShape;
import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.render.DomainRenderer;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Step 5: the domain is defined from the template; drift is judged on normalized fields, never on raw XML. */
public final class DomainStep implements Step {
    private final Hypervisor hypervisor;
    private final DomainRenderer renderer;
    private final HeadnodePaths paths;

    @Inject
    public DomainStep(Hypervisor hypervisor, DomainRenderer renderer, HeadnodePaths paths) {
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
        this.renderer = Objects.requireNonNull(renderer, "renderer is null");
        this.paths = Objects.requireNonNull(paths, "paths is null");
    }

    @Override
    public String name() {
        return "domain";
    }

    @Override
    public StepResult apply(StepContext ctx) throws java.io.IOException {
        if (!ctx.dryRun()) {
            // the console log and the status socket live here; libvirt does not create their directories
            java.nio.file.Files.createDirectories(paths.consoleLog(ctx.spec().vlan()).getParent());
            java.nio.file.Files.createDirectories(paths.statusSocket(ctx.spec().vlan()).getParent());
        }
        String name = HeadnodePaths.domainName(ctx.spec().vlan());
        String xml = renderer.render(ctx.spec());
        DomainShape desired = DomainXml.parse(xml);
        Optional<DomainStatus> actual = hypervisor.lookup(name);
        List<String> changes = new ArrayList<>();
        if (actual.isEmpty()) {
            changes.add("define " + name);
        } else {
            if (!actual.get().uuid().equalsIgnoreCase(ctx.spec().uuid().toString())) {
                throw new IllegalStateException("domain " + name + " exists with uuid " + actual.get().uuid()
                        + ", not the spec's " + ctx.spec().uuid() + ": it is not ours; rename or remove it");
            }
            List<String> diff = desired.differencesFrom(DomainXml.parse(actual.get().inactiveXml()));
            if (!actual.get().persistent()) {
                // undefined behind our back while running: define it again so it survives a stop and can autostart
                changes.add("define " + name + " (it was running without a persistent definition)");
                if (!diff.isEmpty() && actual.get().state() != RunState.SHUTOFF) {
                    ctx.requestRestart();
                }
            } else if (!diff.isEmpty()) {
                diff.forEach(d -> changes.add("redefine " + name + ": " + d));
                if (actual.get().state() != RunState.SHUTOFF) {
                    ctx.requestRestart();
                }
            }
        }
        if (!changes.isEmpty() && !ctx.dryRun()) {
            actual = Optional.of(hypervisor.define(xml));
        }
        ctx.domain(actual);
        return StepResult.of(name(), ctx.dryRun(), changes);
    }
}
