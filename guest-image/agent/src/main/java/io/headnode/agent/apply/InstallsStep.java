package io.headnode.agent.apply;

import io.headnode.agent.install.Installs;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import java.util.Map;
import java.util.Objects;

/** Hands the share and the fixed addresses (from {@link DhcpStep}) to the installs; installs of nodes no longer listed end. */
public final class InstallsStep implements ApplyStep {
    private final Installs installs;
    private final DhcpStep dhcp;

    public InstallsStep(Installs installs, DhcpStep dhcp) {
        this.installs = Objects.requireNonNull(installs, "installs is null");
        this.dhcp = Objects.requireNonNull(dhcp, "dhcp is null");
    }

    @Override
    public String name() {
        return "installs";
    }

    @Override
    public boolean gates() {
        return false;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        installs.update(share, dhcp.addresses());
        return StepResult.UNCHANGED;
    }

    @Override
    public Map<String, Health> health() {
        return Map.of("install-state", installs.health());
    }

    @Override
    public void close() {
        installs.close();
    }
}
