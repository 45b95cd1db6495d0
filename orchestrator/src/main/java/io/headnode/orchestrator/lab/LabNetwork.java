package io.headnode.orchestrator.lab;

import java.util.List;

/**
 * The lab's network namespace and its public bridge (no uplink, nothing routed). The VLAN bridge is made by the
 * orchestrator itself (its network commands run through {@code ip netns exec <namespace>}).
 */
final class LabNetwork {
    private final LabSettings settings;

    LabNetwork(LabSettings settings) {
        this.settings = settings;
    }

    boolean exists() {
        return Exec.run(List.of("ip", "netns", "list")).stdout().lines()
                .anyMatch(l -> l.split(" ")[0].equals(settings.namespace()));
    }

    /** Creates the namespace and the public bridge with the lab host's address; idempotent. */
    void up() {
        String ns = settings.namespace();
        if (!exists()) {
            Exec.check("ip", "netns", "add", ns);
        }
        Exec.check("ip", "-n", ns, "link", "set", "lo", "up");
        if (!Exec.run(List.of("ip", "-n", ns, "link", "show", LabSettings.PUBLIC_BRIDGE)).ok()) {
            Exec.check("ip", "-n", ns, "link", "add", LabSettings.PUBLIC_BRIDGE, "type", "bridge");
        }
        String addr = LabSettings.HOST_ADDRESS + "/" + LabSettings.PREFIX;
        if (!Exec.check("ip", "-n", ns, "-o", "addr", "show", "dev", LabSettings.PUBLIC_BRIDGE).stdout().contains(" " + addr + " ")) {
            Exec.check("ip", "-n", ns, "addr", "add", addr, "dev", LabSettings.PUBLIC_BRIDGE);
        }
        Exec.check("ip", "-n", ns, "link", "set", LabSettings.PUBLIC_BRIDGE, "up");
    }

    /** PIDs of whatever still runs in the namespace. */
    List<Long> pids() {
        if (!exists()) {
            return List.of();
        }
        return Exec.run(List.of("ip", "netns", "pids", settings.namespace())).stdout().lines()
                .map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }

    /** Deletes the namespace (and with it every link in it); callers stop its processes first. */
    void delete() {
        if (exists()) {
            Exec.check("ip", "netns", "delete", settings.namespace());
        }
    }

    List<String> links() {
        if (!exists()) {
            return List.of();
        }
        return Exec.run(List.of("ip", "-n", settings.namespace(), "-o", "link", "show")).stdout().lines()
                .map(l -> l.split(":\\s+", 3)[1].split("@")[0]).toList();
    }
}
