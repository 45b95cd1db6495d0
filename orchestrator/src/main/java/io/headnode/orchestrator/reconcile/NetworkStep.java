package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.net.VlanNetwork;
import io.headnode.orchestrator.net.VlanNetworkSpec;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.Objects;

/** Step 1: the VLAN bridge (and the trunk's vlan link when one is given), up; a re-made bridge restarts a running domain. */
public final class NetworkStep implements Step {
    private final VlanNetwork network;
    private final HeadnodePaths paths;

    @Inject
    public NetworkStep(VlanNetwork network, HeadnodePaths paths) {
        this.network = Objects.requireNonNull(network, "network is null");
        this.paths = Objects.requireNonNull(paths, "paths is null");
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public StepResult apply(StepContext ctx) {
        VlanNetworkSpec spec = new VlanNetworkSpec(ctx.spec().vlan(), paths.vlanBridge(ctx.spec().vlan()), ctx.spec().trunk());
        java.util.List<String> changes = network.ensure(spec, ctx.dryRun());
        if (!network.bridgeExists(ctx.spec().publicBridge())) {
            // QEMU would fail later with "Cannot get interface MTU": say what is missing instead
            throw new IllegalStateException("public bridge " + ctx.spec().publicBridge()
                    + " does not exist: create it (it is the host's uplink bridge) or pass --public-bridge");
        }
        if (!changes.isEmpty()) {
            // taps of a running domain are not on a re-created bridge: a restart re-attaches them
            ctx.requestRestart();
        }
        return StepResult.of(name(), ctx.dryRun(), changes);
    }
}
