package io.headnode.orchestrator.net;

import io.headnode.contract.Vlan;
import java.util.Objects;
import java.util.Optional;

/** The L2 plumbing of one VLAN: a bridge and, when a trunk is given, the tagged link on it enslaved to the bridge. */
public record VlanNetworkSpec(Vlan vlan, String bridge, Optional<String> trunk) {
    public VlanNetworkSpec {
        Objects.requireNonNull(vlan, "vlan is null");
        Objects.requireNonNull(bridge, "bridge is null");
        Objects.requireNonNull(trunk, "trunk is null");
    }

    public Optional<String> vlanLink() {
        return trunk.map(t -> t + "." + vlan.id());
    }
}
