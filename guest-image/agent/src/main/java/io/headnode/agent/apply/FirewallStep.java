package io.headnode.agent.apply;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.net.Firewall;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The nftables table on the public interface. It does not depend on the share: it is put in force on the first poll
 * and re-checked every {@link #CHECK_EVERY} polls (re-applied if someone flushed it), and on every new share.
 */
public final class FirewallStep implements ApplyStep {
    static final int CHECK_EVERY = 5;
    private final AgentConfig config;
    private final Firewall firewall;
    private int polls;

    public FirewallStep(AgentConfig config, Firewall firewall) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.firewall = Objects.requireNonNull(firewall, "firewall is null");
    }

    @Override
    public String name() {
        return "firewall";
    }

    @Override
    public boolean gates() {
        return false;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        if (!config.manageFirewall()) {
            return StepResult.UNCHANGED;
        }
        boolean replaced = firewall.ensure();
        Health h = firewall.health();
        if (!h.healthy()) {
            return new StepResult.Failed(h.detail());
        }
        return replaced ? StepResult.of(List.of("table inet " + Firewall.TABLE + " put in force")) : StepResult.UNCHANGED;
    }

    @Override
    public void maintain() {
        if (config.manageFirewall() && polls++ % CHECK_EVERY == 0) {
            firewall.ensure();
        }
    }

    @Override
    public Map<String, Health> health() {
        return Map.of("firewall", config.manageFirewall() ? firewall.health() : Health.unmanaged());
    }
}
