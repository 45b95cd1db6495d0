package io.headnode.orchestrator.reconcile.action;

import io.headnode.orchestrator.net.VlanNetwork;
import java.util.Objects;

/** A link set administratively up. */
public record SetLinkUp(VlanNetwork network, String link) implements Action {
    public SetLinkUp {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(link, "link is null");
    }

    @Override
    public String describe() {
        return "set " + link + " up";
    }

    @Override
    public void apply() {
        network.setUp(link);
    }
}
