package io.headnode.lab;

import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The lab's "bare-metal" side without a head node: for tests whose head nodes run elsewhere (the fleet's hypervisor
 * namespaces, issue 11). In the lab's namespace it starts the lab's libvirtd, the public bridge
 * ({@link LabSettings#HOST_ADDRESS}) with udhcpd for head nodes' eth1, a VLAN bridge the nodes are plugged into,
 * the nodes (defined, never started) and their IPMI BMCs; and it writes the head node's share files (headnode.conf
 * with the lab profile and the IPMI driver, credentials.conf, machines.txt) for the caller to push. The caller
 * joins the bridges to wherever the head node runs (veths). {@link #down} is {@link Lab#down}.
 */
public final class LabRack {
    private final LabSettings settings;
    private final PrintWriter out;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final LabParts parts;

    public LabRack(LabSettings settings, PrintWriter out) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.out = Objects.requireNonNull(out, "out is null");
        this.parts = LabParts.of(settings, runner);
    }

    /**
     * Namespace, public bridge, libvirtd, udhcpd, the bridge {@code vlanBridge} (up, no address), the nodes on it
     * and their BMCs; returns the namespace.
     */
    public NetworkNamespace up(String vlanBridge) {
        NetworkNamespace ns = NetworkNamespace.named(settings.namespace());
        LabParts.publicBridge(ns);
        ns.exec("ip", "link", "add", vlanBridge, "type", "bridge");
        ns.exec("ip", "link", "set", vlanBridge, "up");
        Libvirtd l = parts.libvirt().start(ns);
        out.println("lab rack: libvirtd " + l.pid() + " in " + ns.name());
        parts.dhcp().start(ns);
        parts.files().writeShareFiles(parts.bmcs().password());
        try (Hypervisor h = parts.libvirt().connect()) {
            parts.nodes().define(h, vlanBridge);
        }
        for (int i = 1; i <= settings.nodes(); i++) {
            parts.bmcs().start(ns, i);
        }
        out.println("lab rack: " + settings.nodes() + " node(s) on " + vlanBridge + ", BMCs on " + LabSettings.HOST_ADDRESS);
        return ns;
    }

    /** headnode.conf for the nodes' head node (lab profile, IPMI driver), to push with {@code headnode config push}. */
    public Path headnodeConf() {
        return parts.files().headnodeConf();
    }

    /** credentials.conf (0600) for {@code headnode credentials push}. */
    public Path credentials() {
        return parts.files().credentials();
    }

    /** machines.txt for {@code headnode machines push}. */
    public Path machines() {
        return parts.files().machines();
    }

    /** How far node {@code i} got, from its serial console. */
    public NodeProgress progress(int i) {
        return parts.nodes().progress(i);
    }

    /** Node {@code i}'s serial console log as written so far. */
    public String console(int i) {
        return LabNodes.console(settings.nodeConsole(i));
    }

    /** The node's BMC log (what it was told to do). */
    public Path bmcLog(int i) {
        return settings.bmcDir().resolve("node" + i + ".log");
    }

    /** Everything the rack made (nodes go with their libvirtd), its namespace and its directory. */
    public void down() {
        new Lab(settings, out).down();
    }
}
