package io.headnode.orchestrator.reconcile.action;

import io.headnode.orchestrator.net.VlanNetwork;
import java.util.Objects;

/** A link (the VLAN's bridge or vlan link) deleted. */
public record DeleteLink(VlanNetwork network, String link) implements Action {
    public DeleteLink {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(link, "link is null");
    }

    @Override
    public String describe() {
        return "delete " + link;
    }

    @Override
    public void apply() {
        network.delete(link);
    }
}
