package io.headnode.agent.apply;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.net.NetworkSetup;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import java.util.Map;
import java.util.Objects;

/** The private interface's addresses (private-address, bmc-address): only what is missing is added. Gates the rest. */
public final class NetworkStep implements ApplyStep {
    private final AgentConfig config;
    private final NetworkSetup network;
    private volatile boolean applied;

    public NetworkStep(AgentConfig config, NetworkSetup network) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.network = Objects.requireNonNull(network, "network is null");
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public boolean gates() {
        return true;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        if (!config.manageNetwork()) {
            return StepResult.UNCHANGED;
        }
        try {
            StepResult r = StepResult.of(network.apply(share.config()));
            applied = true;
            return r;
        } catch (RuntimeException e) {
            return new StepResult.Failed("network setup: " + e.getMessage());
        }
    }

    @Override
    public Map<String, Health> health() {
        Health h = !config.manageNetwork() ? Health.unmanaged()
                : applied ? Health.ok(config.privateInterface() + " addresses in place") : Health.pending("no share applied yet");
        return Map.of("network", h);
    }
}
