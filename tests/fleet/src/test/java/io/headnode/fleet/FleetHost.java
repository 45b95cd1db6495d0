package io.headnode.fleet;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.config.HostConfigFile;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.status.AgentStatusReader;
import io.headnode.orchestrator.status.AgentStatuses;
import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import io.headnode.testing.TcpRelay;
import io.headnode.testing.ZooKeeperEnsemble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One simulated hypervisor of the fleet: its own network namespace (a public bridge and the VLAN bridge, each
 * joined to the switch by a veth), its own libvirtd (TCG) in it, and its own {@code headnode reconcile --every}
 * service in cluster mode as a separate process (stopped or killed by PID). The service runs in the host namespace
 * of this machine, like the orchestrator of a real hypervisor, and changes the namespace's links through
 * {@code network-command-prefix = ip netns exec NS}; it reaches ZooKeeper through one loopback {@link TcpRelay} per
 * member, so a test can cut this host off ({@link #cutZooKeeper}) while its VMs keep running.
 */
final class FleetHost implements AutoCloseable {
    static final String PUBLIC_BRIDGE = "br0";
    static final Duration EVERY = Duration.ofSeconds(10);
    final HostId id;
    final NetworkNamespace ns;
    final Path dir;
    final Libvirtd libvirtd;
    final Path config;
    final HeadnodePaths paths;
    private final List<TcpRelay> relays = new ArrayList<>();
    private Daemon service;
    private int serviceStarts;

    private FleetHost(HostId id, NetworkNamespace ns, Path dir, Libvirtd libvirtd, Path config, HeadnodePaths paths, List<TcpRelay> relays) {
        this.id = id;
        this.ns = ns;
        this.dir = dir;
        this.libvirtd = libvirtd;
        this.config = config;
        this.paths = paths;
        this.relays.addAll(relays);
    }

    /**
     * Host number {@code index} (1..): namespace and bridges, plugged into the switch namespace {@code sw} (its public
     * bridge and its {@code vlanBridge}), libvirtd, relays to every ZooKeeper member, the orchestrator's config.
     * The service is not started yet ({@link #startService}).
     */
    static FleetHost create(String name, int index, Path dir, NetworkNamespace sw, String switchPublic, String vlanBridge,
                            ZooKeeperEnsemble zk, Path secret, Path image, Fleet.HeadnodeSize size, int sessionMs) throws Exception {
        Files.createDirectories(dir.resolve("tmp")); // the service's java.io.tmpdir (startService)
        NetworkNamespace ns = NetworkNamespace.create();
        List<TcpRelay> relays = new ArrayList<>();
        Libvirtd libvirtd = null;
        try {
            for (String bridge : List.of(PUBLIC_BRIDGE, vlanBridge)) {
                ns.exec("ip", "link", "add", bridge, "type", "bridge");
                ns.exec("ip", "link", "set", bridge, "up");
            }
            plug(ns, "upp", PUBLIC_BRIDGE, sw, "h" + index + "p", switchPublic);
            plug(ns, "upv", vlanBridge, sw, "h" + index + "v", vlanBridge);
            libvirtd = Libvirtd.start(ns, dir.resolve("libvirt"));
            // a hypervisor that has been up a while has libvirt's QEMU capability cache on disk; this fresh daemon
            // would probe QEMU on its first define instead (2.3 s measured), inside the failover being timed
            Command.run(Duration.ofSeconds(60), List.of("virsh", "-c", libvirtd.uri(), "domcapabilities", "--virttype", "qemu",
                    "--arch", "x86_64", "--machine", "pc")).orThrow();
            Path apparmor = dir.resolve("apparmor");
            Files.createDirectories(apparmor);
            if (Files.isDirectory(Path.of("/etc/apparmor.d"))) {
                // a private copy: the orchestrator validates its rule without touching the machine's AppArmor
                Command.check("cp", "-a", "/etc/apparmor.d/.", apparmor.toString());
            }
            Files.createDirectories(apparmor.resolve("abstractions"));
            Path abstraction = apparmor.resolve("abstractions/libvirt-qemu");
            if (!Files.exists(abstraction)) {
                Files.writeString(abstraction, "  # fleet test stand-in for libvirt's abstraction\n");
            }
            List<String> members = new ArrayList<>();
            for (int i = 0; i < zk.size(); i++) {
                TcpRelay r = TcpRelay.start(zk.clientPort(i));
                relays.add(r);
                members.add("127.0.0.1:" + r.port());
            }
            Path config = dir.resolve("orchestrator.conf");
            Files.writeString(config, String.join("\n",
                    "# fleet test: hypervisor " + name + " (written by FleetHost)",
                    "state-dir = " + dir.resolve("state"),
                    "share-root = " + dir.resolve("share"),
                    "apparmor-dir = " + apparmor,
                    "connect = " + libvirtd.uri(),
                    "bridge-prefix = br-vlan",
                    "public-bridge = " + PUBLIC_BRIDGE,
                    "network-command-prefix = ip netns exec " + ns.name(),
                    "domain-type = qemu",
                    "default-image = " + image.resolve("headnode.qcow2"),
                    "default-memory-mib = " + size.memoryMib(),
                    "default-vcpus = " + size.vcpus(),
                    "metrics-address = none",
                    "cluster = " + String.join(",", members),
                    "cluster-secret-file = " + secret,
                    "cluster-host = " + name,
                    "headnode-limit = 4",
                    "cluster-session-timeout-ms = " + sessionMs,
                    ""), StandardCharsets.UTF_8);
            return new FleetHost(new HostId(name), ns, dir, libvirtd, config, new HeadnodePaths(HostConfigFile.load(config, true)), relays);
        } catch (Exception e) {
            relays.forEach(TcpRelay::close);
            if (libvirtd != null) {
                libvirtd.close();
            }
            ns.close();
            throw e;
        }
    }

    /** A veth from {@code ns}'s {@code bridge} to {@code sw}'s {@code swBridge}; both ends up. */
    private static void plug(NetworkNamespace ns, String name, String bridge, NetworkNamespace sw, String swName, String swBridge) {
        ns.exec("ip", "link", "add", name, "type", "veth", "peer", "name", swName, "netns", sw.name());
        ns.exec("ip", "link", "set", name, "master", bridge, "up");
        sw.exec("ip", "link", "set", swName, "master", swBridge, "up");
    }

    /** Starts {@code headnode reconcile --every} in cluster mode (a JVM of its own, output in service-N.log). */
    synchronized void startService() {
        if (service != null && service.isAlive()) {
            throw new IllegalStateException("the service of " + id + " runs already");
        }
        serviceStarts++;
        String java = ProcessHandle.current().info().command().orElse("java");
        // its own temp dir (made in create), as the unit's PrivateTmp gives it: a SIGKILLed service leaves its
        // captured tool output there
        Path tmp = dir.resolve("tmp");
        // env execs java (the PID stays the service's); INFO shows the cluster's decisions in the log
        service = Daemon.start("headnode-" + id, dir.resolve("service-" + serviceStarts + ".log"), List.of("env", "HEADNODE_LOG_LEVEL=INFO", java,
                "-Djava.io.tmpdir=" + tmp, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.headnode.orchestrator.cli.Main", "--config", config.toString(), "reconcile", "--every", EVERY.toSeconds() + "s"));
    }

    /** The host dies: SIGKILL to its service, its libvirtd and every QEMU (virtlogd stays, as a log daemon would not matter). */
    void die() {
        Daemon s = service;
        Command.run(Duration.ofSeconds(10), List.of("kill", "-KILL", Long.toString(s.pid())));
        libvirtd.killLibvirtd();
        libvirtd.killQemu();
        s.await("exit after SIGKILL", () -> !s.isAlive(), Duration.ofSeconds(20));
    }

    /** The host comes back: libvirtd on its old state (the domains it had are shut off), then the service. */
    void restore() {
        libvirtd.restartLibvirtd();
        startService();
    }

    void cutZooKeeper() {
        relays.forEach(TcpRelay::cut);
    }

    void healZooKeeper() {
        relays.forEach(TcpRelay::restore);
    }

    /** The agent's status from this host's status channel of {@code vlan}, if it reports (fresh) now. */
    Optional<AgentStatus> agentStatus(Vlan vlan) {
        Path socket = paths.statusSocket(vlan);
        return Files.exists(socket)
                ? AgentStatusReader.readFresh(socket, Duration.ofSeconds(2), Instant.now(), AgentStatuses.MAX_AGE) : Optional.empty();
    }

    /** libvirt's word for the head node of {@code vlan} here ("running", "shut off"), or "" when there is none. */
    String domainState(Vlan vlan) {
        var r = Command.run(Duration.ofSeconds(20), List.of("virsh", "-c", libvirtd.uri(), "domstate", HeadnodePaths.domainName(vlan)));
        return r.exitCode() == 0 ? r.stdout().strip() : "";
    }

    /** How many times QEMU was started for the head node of {@code vlan} here (libvirt's header line in its log). */
    int qemuStarts(Vlan vlan) {
        String log = libvirtd.qemuLog(HeadnodePaths.domainName(vlan));
        int n = 0;
        for (int i = log.indexOf("starting up libvirt"); i >= 0; i = log.indexOf("starting up libvirt", i + 1)) {
            n++;
        }
        return n;
    }

    /** The service's output so far (all its runs), for assertion messages. */
    String serviceLog() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= serviceStarts; i++) {
            try {
                b.append(Files.readString(dir.resolve("service-" + i + ".log"), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.toString();
    }

    boolean serviceAlive() {
        return service != null && service.isAlive();
    }

    @Override
    public void close() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            try {
                libvirtd.close();
            } finally {
                relays.forEach(TcpRelay::close);
                ns.close();
            }
        }
    }

    @Override
    public String toString() {
        return id + " (" + ns.name() + ")";
    }
}
