package io.headnode.fleet;

import io.headnode.contract.Vlan;
import io.headnode.lab.HeadnodeCli;
import io.headnode.lab.LabRack;
import io.headnode.lab.LabSettings;
import io.headnode.orchestrator.cluster.ClusterConnection;
import io.headnode.orchestrator.cluster.ClusterSecret;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.Placement;
import io.headnode.orchestrator.config.ClusterConfig;
import io.headnode.testing.Command;
import io.headnode.testing.NetworkNamespace;
import io.headnode.testing.ZooKeeperEnsemble;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * The fleet fixture (issue 11): a real 3-member ZooKeeper ensemble (Debian's servers, loopback); a switch (the lab's
 * namespace, {@link LabRack}: a public bridge with udhcpd and the lab nodes' BMCs, and the VLAN's bridge with the
 * lab nodes on it); three hypervisors ({@link FleetHost}), each a namespace whose public and VLAN bridges are joined
 * to the switch by veths, with its own libvirtd and its own {@code headnode reconcile --every} in cluster mode. So a
 * lab node on the VLAN reaches whichever host runs its head node. An admin's CLI ({@link #admin}) and a store
 * client for the test's reads talk to the ensemble directly.
 *
 * <p>Everything lives in namespaces this fixture creates and under {@code /var/tmp/hnfleet-<pid>}; {@link #close}
 * stops it all by PID and deletes the namespaces, also after a failure (and the testing fixtures' shutdown hook
 * is the last line).
 */
final class Fleet implements AutoCloseable {
    static final Vlan VLAN = new Vlan(100);
    static final String VLAN_BRIDGE = "br-vlan100";
    final Path dir;
    final ZooKeeperEnsemble zk;
    final LabRack rack;
    final LabSettings rackSettings;
    final NetworkNamespace sw;
    final List<FleetHost> hosts = new ArrayList<>();
    final HeadnodeCli admin;
    final ClusterStore store;
    private final CuratorFramework client;

    private Fleet(Path dir, ZooKeeperEnsemble zk, LabRack rack, LabSettings rackSettings, NetworkNamespace sw, HeadnodeCli admin,
                  CuratorFramework client) {
        this.dir = dir;
        this.zk = zk;
        this.rack = rack;
        this.rackSettings = rackSettings;
        this.sw = sw;
        this.admin = admin;
        this.client = client;
        this.store = new ClusterStore(client);
    }

    /** What a head node gets when its create names nothing else: memory and vCPUs. */
    record HeadnodeSize(int memoryMib, int vcpus) {
        HeadnodeSize {
            if (memoryMib < 64 || vcpus < 1) {
                throw new IllegalArgumentException("head node of " + memoryMib + " MiB, " + vcpus + " vCPUs");
            }
        }
    }

    /**
     * Starts the ensemble, the switch with {@code nodes} lab node(s), and hosts hva, hvb, hvc with their services.
     * Head nodes get {@code size} by default; sessions last {@code sessionMs}.
     */
    static Fleet start(Path dir, Path image, Path imageCache, int nodes, HeadnodeSize size, int sessionMs, PrintWriter out) throws Exception {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ZooKeeperEnsemble zk = null;
        LabRack rack = null;
        Fleet fleet = null;
        try {
            zk = ZooKeeperEnsemble.start(dir.resolve("zk"), 3);
            out.println("fleet: zookeeper " + zk.connectString());
            Path secret = dir.resolve("cluster.secret");
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(secret, "fleet-" + HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
            // the switch is the lab's namespace: hnt<pid>x..., so a crashed run's leftover is swept like the others
            LabSettings rs = new LabSettings(dir.resolve("rack"), "hnt" + ProcessHandle.current().pid() + "xs", VLAN, nodes, imageCache);
            rack = new LabRack(rs, out);
            NetworkNamespace sw = rack.up(VLAN_BRIDGE);
            Path adminConf = dir.resolve("admin.conf");
            Files.writeString(adminConf, String.join("\n",
                    "# fleet test: an admin's CLI, straight to the ensemble",
                    "state-dir = " + dir.resolve("admin/state"),
                    "share-root = " + dir.resolve("admin/share"),
                    "connect = test:///default",
                    "default-image = " + image.resolve("headnode.qcow2"),
                    "default-memory-mib = " + size.memoryMib(),
                    "default-vcpus = " + size.vcpus(),
                    "cluster = " + zk.connectString(),
                    "cluster-secret-file = " + secret,
                    "cluster-session-timeout-ms = " + sessionMs,
                    ""), StandardCharsets.UTF_8);
            CuratorFramework client = ClusterConnection.open(new ClusterConfig(zk.connectString(), secret, "", 10, sessionMs),
                    ClusterSecret.read(secret));
            fleet = new Fleet(dir, zk, rack, rs, sw, new HeadnodeCli(adminConf), client);
            fleet.store.ensureLayout();
            String[] names = {"hva", "hvb", "hvc"};
            for (int i = 0; i < names.length; i++) {
                FleetHost h = FleetHost.create(names[i], i + 1, dir.resolve(names[i]), sw, LabSettings.PUBLIC_BRIDGE, VLAN_BRIDGE, zk,
                        secret, image, size, sessionMs);
                fleet.hosts.add(h);
                h.startService();
                out.println("fleet: host " + h + " libvirtd " + h.libvirtd.pid());
            }
            return fleet;
        } catch (Exception | Error e) {
            if (fleet != null) {
                fleet.close();
            } else {
                if (rack != null) {
                    rack.down();
                }
                if (zk != null) {
                    zk.close();
                }
            }
            throw e;
        }
    }

    FleetHost host(HostId id) {
        return hosts.stream().filter(h -> h.id.equals(id)).findFirst().orElseThrow(() -> new IllegalStateException("no host " + id));
    }

    /** The placement of {@code vlan} now, if any (a read error counts as none: waits poll again). */
    Optional<Placement> placement(Vlan vlan) {
        try {
            return store.placement(vlan);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    boolean registered(HostId id) {
        try {
            return store.hosts().containsKey(id);
        } catch (Exception e) {
            return false;
        }
    }

    /** Stops every host (service, libvirtd and QEMU, relays, namespace), the switch, the ensemble; removes the files. */
    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        for (FleetHost h : hosts) {
            run(failures, h::close);
        }
        run(failures, client::close);
        run(failures, rack::down);
        run(failures, zk::close);
        run(failures, () -> Command.run(Duration.ofMinutes(1), List.of("rm", "-rf", "--one-file-system", dir.toString())));
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("fleet cleanup failed: " + failures);
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private static void run(List<Throwable> failures, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            failures.add(e);
        }
    }
}
