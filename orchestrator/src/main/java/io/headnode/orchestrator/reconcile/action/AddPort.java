package io.headnode.orchestrator.reconcile.action;

import io.headnode.orchestrator.net.VlanNetwork;
import java.util.Objects;

/** {@code port} enslaved to {@code bridge}. */
public record AddPort(VlanNetwork network, String port, String bridge) implements Action {
    public AddPort {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(port, "port is null");
        Objects.requireNonNull(bridge, "bridge is null");
    }

    @Override
    public String describe() {
        return "add " + port + " to bridge " + bridge;
    }

    @Override
    public void apply() {
        network.setMaster(port, bridge);
    }
}
