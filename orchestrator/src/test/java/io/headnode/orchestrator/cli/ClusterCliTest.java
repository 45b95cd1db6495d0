package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.FakeHypervisor;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.cluster.ClusterConnection;
import io.headnode.orchestrator.cluster.ClusterSecret;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.HostCapacity;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.HostRecord;
import io.headnode.orchestrator.cluster.Placement;
import io.headnode.orchestrator.config.ClusterConfig;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.inject.HostModule;
import io.headnode.orchestrator.inject.ReconcileModule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in cluster mode, against Curator's in-JVM server: commands write the fleet's store, not the local host. */
class ClusterCliTest {
    static final ClusterSecret SECRET = new ClusterSecret("cli-test-secret-0123456789");
    @TempDir
    Path dir;
    TestingServer server;
    HostConfig config;
    TestHost host;
    final FakeHypervisor hv = new FakeHypervisor();
    CuratorFramework zk;
    ClusterStore store;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // QEMU's user enters the shares
        Path secret = dir.resolve("cluster.secret");
        Files.writeString(secret, SECRET.secret() + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(dir.resolve("host"));
        host = TestHost.withFakes(dir.resolve("host"), hv, new FakeVlanNetwork());
        HostConfig base = host.config;
        config = base.withCluster(new ClusterConfig(server.getConnectString(), secret, "hv1", 10, 4_000));
        zk = ClusterConnection.open(config.cluster(), SECRET);
        store = new ClusterStore(zk);
        store.ensureLayout();
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        server.close();
    }

    TestHost.Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        HeadnodeCommand root = new HeadnodeCommand(config, host.with());
        int code = Main.run(root, Main.SUBCOMMANDS, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new TestHost.Run(code, out.toString(), err.toString());
    }

    @Test
    void createAndPushWriteTheFleetsStoreAndShowNamesTheHost() throws Exception {
        Path image = dir.resolve("hn.qcow2");
        Files.writeString(image, "");
        TestHost.Run created = cli("create", "--vlan", "100", "--image", image.toString());
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(store.spec(new Vlan(100))).isPresent();
        assertThat(config.stateDir().resolve("specs/100.spec")).doesNotExist(); // nothing local: the placed host builds it

        Path machines = dir.resolve("m.txt");
        Files.writeString(machines, "52:54:00:aa:00:01 10.0.0.11\n");
        TestHost.Run pushed = cli("machines", "push", "--vlan", "100", machines.toString());
        assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
        assertThat(new String(store.shareFiles(new Vlan(100)).get("machines.txt"), StandardCharsets.UTF_8)).contains("52:54:00:aa:00:01");

        assertThat(cli("show", "--vlan", "100").out()).contains("declared, not placed yet");
        store.putPlacement(new Vlan(100), new Placement(new HostId("hv2"), 1));
        assertThat(cli("show", "--vlan", "100").out()).contains("runs on host hv2 (placement epoch 1)");

        TestHost.Run deleted = cli("delete", "--vlan", "100");
        assertThat(deleted.exitCode()).isZero();
        assertThat(store.spec(new Vlan(100))).isEmpty();
    }

    @Test
    void hostsListShowsLiveAndLostHostsAndDrainMarksAHost() throws Exception {
        HostRecord hv2 = new HostRecord(new HostCapacity(new HostId("hv2"), 8192, 10, false), List.of("br0"), 1);
        zk.create().withMode(CreateMode.EPHEMERAL).forPath(ClusterStore.hostPath(hv2.host()), hv2.encode());
        store.putPlacement(new Vlan(7), new Placement(new HostId("hv2"), 1));
        store.putPlacement(new Vlan(8), new Placement(new HostId("hv9"), 3));
        TestHost.Run drained = cli("drain", "--host", "hv2");
        assertThat(drained.exitCode()).as(drained.toString()).isZero();
        TestHost.Run list = cli("hosts", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("hv2 +draining +1/10 +8192 MiB +7");
        assertThat(list.out()).containsPattern("hv9 +lost +1 +- +8");
        assertThat(cli("drain", "--host", "hv2", "--undo").exitCode()).isZero();
        assertThat(cli("hosts", "list").out()).containsPattern("hv2 +up");
    }

    @Test
    void listShowsEveryVlanOfTheFleetWithItsHostAndStateFromZooKeeperAlone() throws Exception {
        HostId hv2 = new HostId("hv2");
        HostRecord r = new HostRecord(new HostCapacity(hv2, 8192, 10, false), List.of("br0"), 2, java.util.Map.of(new Vlan(7), 2L, new Vlan(9), 1L));
        zk.create().withMode(CreateMode.EPHEMERAL).forPath(ClusterStore.hostPath(hv2), r.encode());
        for (int v : new int[] {7, 8, 9, 10}) {
            store.putSpec(new Vlan(v), "x".getBytes(StandardCharsets.UTF_8));
        }
        store.putPlacement(new Vlan(7), new Placement(hv2, 2));              // reported at this epoch: running
        store.putPlacement(new Vlan(8), new Placement(new HostId("hv9"), 1)); // host gone
        store.putPlacement(new Vlan(9), new Placement(hv2, 2));              // reported at epoch 1 only: starting
        store.putPlacement(new Vlan(11), new Placement(hv2, 1));             // spec removed
        TestHost.Run list = cli("list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("7 +hv2 +running +2")
                .containsPattern("8 +hv9 +host lost +1")
                .containsPattern("9 +hv2 +starting +2")
                .containsPattern("10 +- +not placed +-")
                .containsPattern("11 +hv2 +deleting +1");
        assertThat(hv.domainNames()).isEmpty(); // nothing local was touched
        TestHost.Run json = cli("list", "--output", "json");
        assertThat(json.out()).contains("\"host\" : \"hv9\"", "\"state\" : \"host lost\"");
    }

    @Test
    void imagesAddListAndRmUseTheFleetsCatalog() throws Exception {
        Path raw = dir.resolve("src/disk.img");
        Files.createDirectories(raw.getParent());
        byte[] data = new byte[1 << 20];
        new java.util.Random(5).nextBytes(data);
        Files.write(raw, data);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        TestHost.Run added = cli("images", "add", raw.toString(), "--name", "deb");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("image deb recorded in the fleet", "sha256 " + sha, "every host copies it from " + raw);
        io.headnode.orchestrator.cluster.FleetImage f = store.image(new io.headnode.contract.ImageName("deb")).orElseThrow();
        assertThat(f.entry().sha256().hex()).isEqualTo(sha);
        assertThat(f.source()).isEqualTo(raw);
        try (var left = Files.list(config.imageDir().getParent())) { // the entry was computed in a temp catalog, dropped again
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".headnode-images-add-"));
        }
        assertThat(config.imageDir().resolve("deb.image")).doesNotExist(); // the service copies it, like on every host
        assertThat(cli("images", "add", raw.toString(), "--name", "deb").err()).contains("in the fleet's catalog already");

        HostRecord hv2 = new HostRecord(new HostCapacity(new HostId("hv2"), 8192, 10, false), List.of("br0"), 0, java.util.Map.of(),
                java.util.Map.of(new io.headnode.contract.ImageName("deb"), "no-source"));
        HostRecord hv3 = new HostRecord(new HostCapacity(new HostId("hv3"), 8192, 10, false), List.of("br0"), 0);
        zk.create().withMode(CreateMode.EPHEMERAL).forPath(ClusterStore.hostPath(hv2.host()), hv2.encode());
        zk.create().withMode(CreateMode.EPHEMERAL).forPath(ClusterStore.hostPath(hv3.host()), hv3.encode());
        TestHost.Run list = cli("images", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("deb +1.0 MiB +1048576 +raw +\\S+ +" + sha + " +1/2 \\(hv2: no-source\\) +" + raw);

        store.putSpec(new Vlan(3), "x".getBytes(StandardCharsets.UTF_8));
        store.putShareFile(new Vlan(3), "requests/r1.install", "image = deb\nall\n".getBytes(StandardCharsets.UTF_8));
        TestHost.Run refused = cli("images", "rm", "deb");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("image deb is named by install request r1 of VLAN 3").contains("refused");
        TestHost.Run rm = cli("images", "rm", "deb", "--force");
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(rm.out()).contains("removed from the fleet's catalog");
        assertThat(store.images().images()).isEmpty();
        assertThat(cli("images", "list").out()).contains("no images in the fleet's catalog");
    }

    @Test
    void theServiceJoinsTheFleetAndBuildsWhatTheLeaderPlacesOnIt() throws Exception {
        Path image = dir.resolve("base.qcow2");
        io.headnode.testing.Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "16M");
        java.util.concurrent.atomic.AtomicReference<TestHost.Run> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread service = new Thread(() -> result.set(cli("reconcile", "--every", "1h", "--metrics-address", "none")), "service");
        service.start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> store.hosts().containsKey(new HostId("hv1")));
            assertThat(cli("create", "--vlan", "100", "--image", image.toString()).exitCode()).isZero();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> hv.lookup("headnode-vlan100").map(d -> d.state()).orElse(null) == io.headnode.common.libvirt.RunState.RUNNING);
            assertThat(store.placement(new Vlan(100)).orElseThrow().host()).isEqualTo(new HostId("hv1"));
            assertThat(cli("show", "--vlan", "100").out()).contains("runs on host hv1");
            // the host reports the running head node with its epoch (registration refreshed on the member's tick)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> cli("list").out(), o -> o.matches("(?s).*\\n100 +hv1 +running +1\\s.*"));

            assertThat(cli("delete", "--vlan", "100").exitCode()).isZero();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> hv.lookup("headnode-vlan100").isEmpty());
        } finally {
            service.interrupt();
            service.join(30_000);
        }
        assertThat(service.isAlive()).isFalse();
    }
}
