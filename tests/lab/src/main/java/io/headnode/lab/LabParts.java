package io.headnode.lab;

import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.testing.NetworkNamespace;
import java.util.Objects;

/**
 * The parts a lab is made of, wired once for {@link Lab} (head node and nodes in one namespace) and {@link LabRack}
 * (the nodes only, for head nodes that run elsewhere): its state file, libvirtd, udhcpd, BMCs, nodes and files.
 */
record LabParts(LabState state, LabLibvirt libvirt, LabDhcp dhcp, LabBmcs bmcs, LabNodes nodes, LabFiles files) {
    LabParts {
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(libvirt, "libvirt is null");
        Objects.requireNonNull(dhcp, "dhcp is null");
        Objects.requireNonNull(bmcs, "bmcs is null");
        Objects.requireNonNull(nodes, "nodes is null");
        Objects.requireNonNull(files, "files is null");
    }

    static LabParts of(LabSettings settings, ProcessCommandRunner runner) {
        LabState state = LabState.load(settings.stateFile());
        return new LabParts(state, new LabLibvirt(settings, state), new LabDhcp(settings, state), new LabBmcs(settings, state, runner),
                new LabNodes(settings, runner), new LabFiles(settings, runner));
    }

    /** The public bridge with the lab host's address; idempotent. */
    static void publicBridge(NetworkNamespace ns) {
        String bridge = LabSettings.PUBLIC_BRIDGE;
        if (!ns.links().contains(bridge)) {
            ns.exec("ip", "link", "add", bridge, "type", "bridge");
        }
        String addr = LabSettings.HOST_ADDRESS + "/" + LabSettings.PREFIX;
        if (!ns.exec("ip", "-o", "addr", "show", "dev", bridge).stdout().contains(" " + addr + " ")) {
            ns.exec("ip", "addr", "add", addr, "dev", bridge);
        }
        ns.exec("ip", "link", "set", bridge, "up");
    }
}
