package io.headnode.agent.install;

import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What installs act on: the share in force, the fixed address assigned to each listed machine and the images the
 * `image` profile can deploy (by name).
 */
public record InstallSite(ShareSnapshot snapshot, Map<MacAddress, String> addresses, Map<String, ImageEntry> images) {
    /** The profile that image installs use, whatever headnode.conf's install-profile says. */
    public static final String IMAGE_PROFILE = "image";

    public InstallSite {
        Objects.requireNonNull(snapshot, "snapshot is null");
        addresses = Map.copyOf(addresses);
        images = Map.copyOf(images);
    }

    public InstallSite(ShareSnapshot snapshot, Map<MacAddress, String> addresses) {
        this(snapshot, addresses, Map.of());
    }

    public Optional<Machine> machine(MacAddress mac) {
        return snapshot.machines().find(mac);
    }

    /** The node's fixed address, or null if it has none (not listed). */
    public String address(MacAddress mac) {
        return addresses.get(mac);
    }

    public Optional<ImageEntry> image(String name) {
        return Optional.ofNullable(images.get(name));
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
        return node.image() != null ? IMAGE_PROFILE : profile();
    }
}
