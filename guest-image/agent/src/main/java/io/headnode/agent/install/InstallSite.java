package io.headnode.agent.install;

import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What installs act on: the share in force and the fixed address assigned to each listed machine. A value (equal when
 * both are), with the listed machines indexed by MAC: every tick asks for each node's machine, and a scan of the list
 * per node was the agent's hot spot with 1,000 nodes (profiled in the storm bench).
 */
public final class InstallSite {
    private final ShareSnapshot snapshot;
    private final Map<MacAddress, String> addresses;
    private final Map<MacAddress, Machine> machines;

    public InstallSite(ShareSnapshot snapshot, Map<MacAddress, String> addresses) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot is null");
        this.addresses = Map.copyOf(addresses);
        Map<MacAddress, Machine> byMac = new HashMap<>();
        for (Machine m : snapshot.machines().machines()) {
            byMac.putIfAbsent(m.mac(), m);   // the first listing wins, as MachineList.find
        }
        this.machines = Map.copyOf(byMac);
    }

    public ShareSnapshot snapshot() {
        return snapshot;
    }

    public Map<MacAddress, String> addresses() {
        return addresses;
    }

    public Optional<Machine> machine(MacAddress mac) {
        return Optional.ofNullable(machines.get(mac));
    }

    /** The node's fixed address, or null if it has none (not listed). */
    public String address(MacAddress mac) {
        return addresses.get(mac);
    }

    public Duration deadline() {
        return snapshot.config().installDeadline();
    }

    public int attempts() {
        return snapshot.config().installAttempts();
    }

    public String serverIp() {
        return snapshot.config().privateAddress().ip();
    }

    public String profile() {
        return snapshot.config().installProfile();
    }

    /** The profile of one node's install: `image` for an image install, else the share's install-profile. */
    public String profile(NodeInstall node) {
        return node.image() != null ? InstallRequest.IMAGE_PROFILE : profile();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstallSite s && snapshot.equals(s.snapshot) && addresses.equals(s.addresses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(snapshot, addresses);
    }

    @Override
    public String toString() {
        return "InstallSite[snapshot=" + snapshot + ", addresses=" + addresses + "]";
    }
}
