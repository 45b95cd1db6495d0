package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.domain.DomainShape;
import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.reconcile.action.Action;
import io.headnode.orchestrator.reconcile.action.CreateDirectory;
import io.headnode.orchestrator.reconcile.action.DefineDomain;
import io.headnode.orchestrator.reconcile.action.RedefineDomain;
import io.headnode.orchestrator.render.DomainRenderer;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
    public Plan plan(StepContext ctx) {
        List<Action> actions = new ArrayList<>();
        // the console log and the status socket live here; libvirt does not create their directories
        Set<Path> dirs = new LinkedHashSet<>(List.of(paths.consoleLog(ctx.spec().vlan()).getParent(),
                paths.statusSocket(ctx.spec().vlan()).getParent()));
        dirs.stream().filter(d -> !Files.isDirectory(d)).forEach(d -> actions.add(new CreateDirectory(d)));
        String name = HeadnodePaths.domainName(ctx.spec().vlan());
        String xml = renderer.render(ctx.spec());
        DomainShape desired = DomainXml.parse(xml);
        Optional<DomainStatus> actual = hypervisor.lookup(name);
        if (actual.isEmpty()) {
            actions.add(new DefineDomain(hypervisor, name, xml, ""));
        } else {
            DomainStatus d = actual.get();
            if (!d.uuid().equalsIgnoreCase(ctx.spec().uuid().toString())) {
                throw new IllegalStateException("domain " + name + " exists with uuid " + d.uuid()
                        + ", not the spec's " + ctx.spec().uuid() + ": it is not ours; rename or remove it");
            }
            List<String> diff = desired.differencesFrom(DomainXml.parse(d.inactiveXml()));
            if (!d.persistent()) {
                // undefined behind our back while running: define it again so it survives a stop and can autostart
                actions.add(new DefineDomain(hypervisor, name, xml, "it was running without a persistent definition"));
            } else if (!diff.isEmpty()) {
                actions.add(new RedefineDomain(hypervisor, name, xml, diff));
            }
            if (!diff.isEmpty() && d.state() != RunState.SHUTOFF) {
                ctx.requestRestart();
            }
        }
        // a definition keeps run state and autostart: the later steps judge by what was found
        ctx.domain(actual);
        return Plan.of(actions);
    }
}
