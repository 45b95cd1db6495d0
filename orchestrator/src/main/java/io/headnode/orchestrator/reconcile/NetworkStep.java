package io.headnode.orchestrator.reconcile;

import io.headnode.common.iproute.Link;
import io.headnode.orchestrator.net.VlanNetwork;
import io.headnode.orchestrator.net.VlanNetworkSpec;
import io.headnode.orchestrator.reconcile.action.Action;
import io.headnode.orchestrator.reconcile.action.AddPort;
import io.headnode.orchestrator.reconcile.action.CreateBridge;
import io.headnode.orchestrator.reconcile.action.CreateVlanLink;
import io.headnode.orchestrator.reconcile.action.SetLinkUp;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    public Plan plan(StepContext ctx) {
        VlanNetworkSpec spec = new VlanNetworkSpec(ctx.spec().vlan(), paths.vlanBridge(ctx.spec().vlan()), ctx.spec().trunk());
        Map<String, Link> links = network.links();
        List<Action> actions = actions(network, spec, links);
        Link pub = links.get(ctx.spec().publicBridge());
        if (pub == null || !pub.isBridge()) {
            // QEMU would fail later with "Cannot get interface MTU": say what is missing instead
            throw new IllegalStateException("public bridge " + ctx.spec().publicBridge()
                    + " does not exist: create it (it is the host's uplink bridge) or pass --public-bridge");
        }
        if (actions.stream().anyMatch(CreateBridge.class::isInstance)) {
            // taps of a running domain are not on a re-created bridge: a restart re-attaches them
            ctx.requestRestart();
        }
        return Plan.of(actions);
    }

    /** The actions that converge {@code links} to {@code spec}, in order. Pure. */
    static List<Action> actions(VlanNetwork network, VlanNetworkSpec spec, Map<String, Link> links) {
        List<Action> actions = new ArrayList<>();
        Link br = links.get(spec.bridge());
        if (br == null) {
            actions.add(new CreateBridge(network, spec.bridge()));
            actions.add(new SetLinkUp(network, spec.bridge()));
        } else {
            if (!br.isBridge()) {
                throw new IllegalStateException(spec.bridge() + " exists but is a " + br.kind() + ", not a bridge");
            }
            if (!br.up()) {
                actions.add(new SetLinkUp(network, spec.bridge()));
            }
        }
        if (spec.trunk().isPresent()) {
            String trunk = spec.trunk().get();
            String name = spec.vlanLink().orElseThrow();
            if (!links.containsKey(trunk)) {
                throw new IllegalStateException("trunk interface " + trunk + " does not exist");
            }
            Link v = links.get(name);
            if (v == null) {
                actions.add(new CreateVlanLink(network, trunk, name, spec.vlan().id()));
                actions.add(new AddPort(network, name, spec.bridge()));
                actions.add(new SetLinkUp(network, name));
            } else {
                if (!"vlan".equals(v.kind()) || !v.vlanId().equals(Optional.of(spec.vlan().id()))) {
                    throw new IllegalStateException(name + " exists but is not a vlan link with id " + spec.vlan());
                }
                if (!v.master().equals(Optional.of(spec.bridge()))) {
                    actions.add(new AddPort(network, name, spec.bridge()));
                }
                if (!v.up()) {
                    actions.add(new SetLinkUp(network, name));
                }
            }
        }
        return actions;
    }
}
