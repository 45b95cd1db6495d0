package io.headnode.lab;

import io.headnode.contract.BmcAddress;
import io.headnode.contract.Vlan;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one lab is: where it keeps its files, the network namespace it lives in, the VLAN its head node serves
 * and how many "bare-metal" nodes it makes. The public bridge and the nodes' BMCs use 192.0.2.0/24 (TEST-NET-1,
 * never routed), and only inside the lab's namespace. libvirtd has no network listener: only its unix socket.
 *
 * @param dir        the lab's files: libvirtd config and state, orchestrator state, shares, node disks, logs
 * @param namespace  network namespace name; everything the lab runs lives in it
 * @param vlan       the head node's VLAN
 * @param nodes      number of lab nodes (1..4)
 * @param imageCache where build-image.sh caches images (shared by labs and CI)
 * @param firmware   the nodes' firmware ({@link LabFirmware#MIXED}: BIOS, UEFI, Secure Boot, HTTP boot in turn)
 */
public record LabSettings(Path dir, String namespace, Vlan vlan, int nodes, Path imageCache, LabFirmware firmware) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,11}");
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9/._-]+");
    public static final String PUBLIC_BRIDGE = "hnlab-pub";
    public static final String HOST_ADDRESS = "192.0.2.1";
    public static final int PREFIX = 24;
    /** Node i's BMC answers IPMI on UDP {@code BMC_BASE_PORT + i} of {@link #HOST_ADDRESS}. */
    public static final int BMC_BASE_PORT = 6230;
    public static final int MAX_NODES = 4;

    public LabSettings {
        Objects.requireNonNull(dir, "dir is null");
        Objects.requireNonNull(vlan, "vlan is null");
        Objects.requireNonNull(imageCache, "imageCache is null");
        Objects.requireNonNull(firmware, "firmware is null");
        dir = dir.toAbsolutePath().normalize();
        if (!SAFE_PATH.matcher(dir.toString()).matches() || dir.toString().length() > 60) {
            throw new IllegalArgumentException("lab dir '" + dir + "' must be at most 60 of [A-Za-z0-9/._-] (it ends up in sockets and XML)");
        }
        if (namespace == null || !NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace + "' must be 1-12 of [a-z0-9], starting with a letter");
        }
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("nodes " + nodes + " is outside 1.." + MAX_NODES);
        }
    }

    /** A lab of BIOS nodes. */
    public LabSettings(Path dir, String namespace, Vlan vlan, int nodes, Path imageCache) {
        this(dir, namespace, vlan, nodes, imageCache, LabFirmware.BIOS);
    }

    public LabFirmware nodeFirmware(int i) {
        return firmware.forNode(i);
    }

    /** Node {@code i}'s own UEFI variable store (libvirt creates it from the firmware's template when it is missing). */
    public Path nodeVars(int i) {
        return nodesDir().resolve("node" + i + "_VARS.fd");
    }

    public Path libvirtDir() {
        return dir.resolve("libvirt");
    }

    /** The lab libvirtd's unix socket, reachable from the host namespace. */
    public String localUri() {
        return "qemu:///system?socket=" + libvirtDir().resolve("sock/libvirt-sock");
    }

    /** Where node {@code i}'s BMC answers (IPMI over LAN), for machines.txt: the head node reaches it on its eth1. */
    public BmcAddress bmcAddress(int i) {
        return new BmcAddress(HOST_ADDRESS, BMC_BASE_PORT + i);
    }

    public Path bmcDir() {
        return dir.resolve("bmc");
    }

    public Path orchestratorConfig() {
        return dir.resolve("orchestrator.conf");
    }

    public Path stateFile() {
        return dir.resolve("lab.state");
    }

    public Path nodesDir() {
        return dir.resolve("nodes");
    }

    public Path shareRoot() {
        return dir.resolve("share");
    }

    public String nodeName(int i) {
        return namespace + "-node" + i;
    }

    /** Lab node MACs: locally administered, 52:54:00 (QEMU) + 4c ("L") + VLAN low byte + index. */
    public String nodeMac(int i) {
        return String.format("52:54:00:4c:%02x:%02x", vlan.id() & 0xff, i);
    }

    public Path nodeDisk(int i) {
        return nodesDir().resolve("node" + i + ".qcow2");
    }

    public Path nodeConsole(int i) {
        return nodesDir().resolve("node" + i + ".console.log");
    }
}
