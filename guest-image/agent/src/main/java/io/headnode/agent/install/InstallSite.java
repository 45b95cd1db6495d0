package io.headnode.agent.install;

import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What installs act on: the share in force and the fixed address assigned to each listed machine. */
public record InstallSite(ShareSnapshot snapshot, Map<MacAddress, String> addresses) {
    public InstallSite {
        Objects.requireNonNull(snapshot, "snapshot is null");
        addresses = Map.copyOf(addresses);
    }

    public Optional<Machine> machine(MacAddress mac) {
        return snapshot.machines().find(mac);
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
}
