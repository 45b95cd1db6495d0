package io.headnode.orchestrator.reconcile.action;

import io.headnode.orchestrator.net.VlanNetwork;
import java.util.Objects;

/** A new Linux bridge (down until {@link SetLinkUp}). */
public record CreateBridge(VlanNetwork network, String bridge) implements Action {
    public CreateBridge {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(bridge, "bridge is null");
    }

    @Override
    public String describe() {
        return "create bridge " + bridge;
    }

    @Override
    public void apply() {
        network.addBridge(bridge);
    }
}
