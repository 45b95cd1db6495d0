package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.net.VlanNetwork;
import io.headnode.orchestrator.net.VlanNetworkSpec;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Delete step 3: remove the bridge (and vlan link) only when no other domain and no other port uses it. */
public final class RemoveNetworkStep implements Step {
    private final VlanNetwork network;
    private final Hypervisor hypervisor;
    private final HeadnodePaths paths;

    @Inject
    public RemoveNetworkStep(VlanNetwork network, Hypervisor hypervisor, HeadnodePaths paths) {
        this.network = Objects.requireNonNull(network, "network is null");
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
        this.paths = Objects.requireNonNull(paths, "paths is null");
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public StepResult apply(StepContext ctx) {
        String bridge = paths.vlanBridge(ctx.spec().vlan());
        VlanNetworkSpec spec = new VlanNetworkSpec(ctx.spec().vlan(), bridge, ctx.spec().trunk());
        if (!network.bridgeExists(bridge)) {
            return StepResult.of(name(), ctx.dryRun(), network.remove(spec, ctx.dryRun()));
        }
        String ours = HeadnodePaths.domainName(ctx.spec().vlan());
        List<String> users = new ArrayList<>();
        hypervisor.inactiveXmlByName().forEach((name, xml) -> {
            if (!name.equals(ours) && DomainXml.parse(xml).bridges().contains(bridge)) {
                users.add("domain " + name);
            }
        });
        network.foreignPorts(spec).forEach(p -> users.add("port " + p));   // read-only: a dry run reports what a real run does
        if (!users.isEmpty()) {
            return StepResult.skipped(name(), "kept bridge " + bridge + ": used by " + String.join(", ", users));
        }
        return StepResult.of(name(), ctx.dryRun(), network.remove(spec, ctx.dryRun()));
    }
}
