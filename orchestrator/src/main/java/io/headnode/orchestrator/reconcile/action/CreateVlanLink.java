package io.headnode.orchestrator.reconcile.action;

import io.headnode.orchestrator.net.VlanNetwork;
import java.util.Objects;

/** An 802.1Q link {@code link} on {@code trunk}, tagged {@code vlanId}. */
public record CreateVlanLink(VlanNetwork network, String trunk, String link, int vlanId) implements Action {
    public CreateVlanLink {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(trunk, "trunk is null");
        Objects.requireNonNull(link, "link is null");
    }

    @Override
    public String describe() {
        return "create vlan link " + link + " (id " + vlanId + ") on " + trunk;
    }

    @Override
    public void apply() {
        network.addVlanLink(trunk, link, vlanId);
    }
}
