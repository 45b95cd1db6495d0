package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.ClusterConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store against Curator's in-JVM server: layout, idempotent writes, and ACLs (nothing world-readable). */
class ClusterStoreTest {
    static final ClusterSecret SECRET = new ClusterSecret("s3cret-for-the-fleet-0123");
    static ClusterFixtures.InJvmStore zk;
    static TestingServer server;
    static CuratorFramework client;
    static ClusterStore store;
    /** A fence on a node that stays: the leader's writes go through. */
    static LeaderFence open;

    @BeforeAll
    static void start() throws Exception {
        zk = ClusterFixtures.InJvmStore.start(SECRET);
        server = zk.server();
        client = zk.client();
        store = zk.store();
        open = new LeaderFence(client.create().forPath("/test-fence"), () -> true);
    }

    static ClusterConfig config(String connect) {
        return new ClusterConfig(connect, Path.of("/etc/headnode/cluster.secret"), "", 100, 4_000);
    }

    @AfterAll
    static void stop() throws Exception {
        zk.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code count} new placements from VLAN {@code first} on, all {@code p}. */
    static List<FleetPlanner.Write> newPlacements(int first, int count, Placement p) {
        List<FleetPlanner.Write> writes = new java.util.ArrayList<>();
        for (int v = first; v < first + count; v++) {
            writes.add(new FleetPlanner.Write(new Vlan(v), p, "new"));
        }
        return writes;
    }

    @Test
    void placementsAreReadInMultiReadsWithMissingAndBadOnesEmpty() throws Exception {
        List<FleetPlanner.Write> writes = newPlacements(1000, ClusterStore.BATCH + 5, new Placement(new HostId("hv2"), 3));
        store.writePlacements(writes, Map.of(), open);
        client.setData().forPath(ClusterStore.placementPath(new Vlan(3001)), b("not a placement"));
        List<Vlan> asked = new java.util.ArrayList<>(writes.stream().map(FleetPlanner.Write::vlan).toList());
        asked.add(new Vlan(3999)); // never placed
        Map<Vlan, Optional<Placement>> read = store.placements(asked);
        assertThat(read).hasSize(ClusterStore.BATCH + 6);
        assertThat(read.get(new Vlan(1000))).contains(new Placement(new HostId("hv2"), 3));
        assertThat(read.get(new Vlan(1000 + ClusterStore.BATCH + 4))).contains(new Placement(new HostId("hv2"), 3));
        assertThat(read.get(new Vlan(3001))).isEmpty();
        assertThat(read.get(new Vlan(3999))).isEmpty();
    }

    @Test
    void aLeaderThatLostItsLeadershipStopsBeforeTheNextTransaction() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        List<FleetPlanner.Write> writes = newPlacements(2000, ClusterStore.BATCH + 3, new Placement(new HostId("hv1"), 1));
        assertThatThrownBy(() -> store.writePlacements(writes, Map.of(), new LeaderFence(open.node(), () -> asked.incrementAndGet() == 1)))
                .isInstanceOf(ClusterStore.LeadershipLostException.class)
                .hasMessageContaining("3 placement writes not made");
        assertThat(store.placement(new Vlan(2000))).isPresent();                         // the first transaction
        assertThat(store.placement(new Vlan(2000 + ClusterStore.BATCH))).isEmpty();      // not the second
        for (int v = 2000; v < 2000 + ClusterStore.BATCH; v++) {
            store.removePlacement(new Vlan(v));
        }
    }

    @Test
    void zooKeeperRefusesTheWritesOfALeaderWhoseElectionNodeIsGoneThoughItStillThinksItLeads() throws Exception {
        String node = client.create().forPath("/deposed-fence");
        LeaderFence deposed = new LeaderFence(node, () -> true); // its own view: still leading
        client.delete().forPath(node);
        assertThatThrownBy(() -> store.writePlacements(newPlacements(4000, 3, new Placement(new HostId("hv1"), 1)), Map.of(), deposed))
                .isInstanceOf(ClusterStore.LeadershipLostException.class)
                .hasMessageContaining("election node is gone")
                .matches(e -> ((ClusterStore.LeadershipLostException) e).electionNodeGone());
        assertThat(store.placement(new Vlan(4000))).isEmpty();
        // the one-by-one path after a stale view is fenced too: VLAN 4001 exists, the view says it does not
        store.writePlacements(newPlacements(4001, 1, new Placement(new HostId("hv1"), 1)), Map.of(), open);
        assertThatThrownBy(() -> store.writePlacements(newPlacements(4001, 1, new Placement(new HostId("hv2"), 2)), Map.of(), deposed))
                .isInstanceOf(ClusterStore.LeadershipLostException.class);
        assertThat(store.placement(new Vlan(4001))).contains(new Placement(new HostId("hv1"), 1));
        store.removePlacement(new Vlan(4001));
    }

    @Test
    void eachHostsAssignmentIsWrittenWithThePlacementsItSummarizes() throws Exception {
        HostId a = new HostId("asg-a");
        HostId b = new HostId("asg-b");
        List<FleetPlanner.Write> first = newPlacements(3600, 10, new Placement(a, 1));
        store.writePlacements(first, Map.of(), open);
        assertThat(store.assignment(a).epochs()).hasSize(10).containsEntry(new Vlan(3600), 1L);
        assertThat(store.assignment(b)).isEqualTo(HostAssignment.EMPTY);
        Map<Vlan, Placement> current = new java.util.HashMap<>();
        first.forEach(w -> current.put(w.vlan(), w.placement()));
        // host a lost: VLAN 3600 moves to b at epoch 2, VLAN 3601 is removed
        Map<HostId, HostAssignment> written = store.writePlacements(List.of(new FleetPlanner.Write(new Vlan(3600), new Placement(b, 2), "host a lost"),
                new FleetPlanner.Write(new Vlan(3601), null, "deleted")), current, open);
        assertThat(written).containsOnlyKeys(a, b).containsEntry(b, store.assignment(b)).containsEntry(a, store.assignment(a));
        assertThat(store.assignment(b).epochs()).containsExactly(Map.entry(new Vlan(3600), 2L));
        assertThat(store.assignment(a).epochs()).hasSize(8).doesNotContainKeys(new Vlan(3600), new Vlan(3601));
        // a repair sets what differs, behind the fence
        store.writeAssignments(Map.of(a, HostAssignment.EMPTY), open);
        assertThat(store.assignment(a)).isEqualTo(HostAssignment.EMPTY);
        for (int v = 3600; v < 3610; v++) {
            store.removePlacement(new Vlan(v));
        }
    }

    @Test
    void placementsAreWrittenInTransactionsAndAStaleViewFallsBackToOneByOne() throws Exception {
        store.writePlacements(newPlacements(1000, ClusterStore.BATCH + 20, new Placement(new HostId("hv1"), 1)), Map.of(), open);
        assertThat(store.placement(new Vlan(1000))).contains(new Placement(new HostId("hv1"), 1));
        assertThat(store.placement(new Vlan(1000 + ClusterStore.BATCH + 19))).isPresent();
        // a view that misses an existing placement (create refused) and one that has a removed one (setData refused)
        store.writePlacements(List.of(new FleetPlanner.Write(new Vlan(1000), new Placement(new HostId("hv2"), 2), "moved"),
                new FleetPlanner.Write(new Vlan(1001), null, "deleted")), Map.of(), open);
        store.writePlacements(List.of(new FleetPlanner.Write(new Vlan(1002), new Placement(new HostId("hv3"), 2), "moved"),
                new FleetPlanner.Write(new Vlan(999), new Placement(new HostId("hv3"), 1), "new")),
                Map.of(new Vlan(999), new Placement(new HostId("hv9"), 1), new Vlan(1002), new Placement(new HostId("hv1"), 1)), open);
        assertThat(store.placement(new Vlan(1000))).contains(new Placement(new HostId("hv2"), 2));
        assertThat(store.placement(new Vlan(1001))).isEmpty();
        assertThat(store.placement(new Vlan(1002))).contains(new Placement(new HostId("hv3"), 2));
        assertThat(store.placement(new Vlan(999))).contains(new Placement(new HostId("hv3"), 1));
        for (int v = 999; v < 1000 + ClusterStore.BATCH + 20; v++) {
            store.removePlacement(new Vlan(v));
        }
    }

    @Test
    void specsAndShareFilesRoundTripAndUnchangedWritesReportUnchanged() throws Exception {
        Vlan v = new Vlan(100);
        assertThat(store.putSpec(v, b("memory-mib = 1024\n"))).isTrue();
        assertThat(store.putSpec(v, b("memory-mib = 1024\n"))).isFalse();
        assertThat(store.spec(v)).hasValueSatisfying(x -> assertThat(new String(x, StandardCharsets.UTF_8)).isEqualTo("memory-mib = 1024\n"));
        store.putShareFile(v, "machines.txt", b("52:54:00:00:00:01 10.0.0.1\n"));
        store.putShareFile(v, "requests/a.install", b("x\n"));
        assertThat(store.shareFiles(v)).containsOnlyKeys("machines.txt", "requests/a.install");
        assertThat(store.specVlans()).contains(v);
        store.removeSpec(v);
        assertThat(store.spec(v)).isEmpty();
        assertThat(store.shareFiles(v)).isEmpty();
    }

    @Test
    void aShareFileNameCannotClimbOutOfItsVlan() {
        assertThatThrownBy(() -> store.putShareFile(new Vlan(5), "../specs/5", b("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putShareFile(new Vlan(5), "a/b/c", b("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void placementsAndHostsRoundTrip() throws Exception {
        store.putPlacement(new Vlan(7), new Placement(new HostId("hv1"), 3));
        assertThat(store.placements()).containsEntry(new Vlan(7), new Placement(new HostId("hv1"), 3));
        HostRecord r = new HostRecord(new HostCapacity(new HostId("hv2"), 4096, 10, false), java.util.List.of("br0"), 2);
        client.create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL).forPath(ClusterStore.hostPath(r.host()), r.encode());
        assertThat(store.hosts()).containsEntry(r.host(), r);
    }

    @Test
    void credentialsAreNotReadableWithoutTheFleetsDigest() throws Exception {
        Vlan v = new Vlan(200);
        store.putShareFile(v, "credentials.conf", b("10.0.0.1 = ipmi admin secret\n"));
        try (CuratorFramework anonymous = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
            anonymous.start();
            anonymous.blockUntilConnected();
            String path = "/" + ClusterConnection.NAMESPACE + ClusterStore.sharePath(v, "credentials.conf");
            assertThatThrownBy(() -> anonymous.getData().forPath(path)).isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> anonymous.getChildren().forPath("/" + ClusterConnection.NAMESPACE + ClusterStore.SHARE))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
        try (CuratorFramework wrong = ClusterConnection.open(config(server.getConnectString()), new ClusterSecret("not-the-fleets-secret-0000"))) {
            assertThatThrownBy(() -> new ClusterStore(wrong).shareFiles(v)).isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void theInstallKeyIsCreatedOnceAndIsNotReadableWithoutTheFleetsDigest() throws Exception {
        Vlan v = new Vlan(300);
        byte[] first = store.ensureInstallKey(v, new java.security.SecureRandom());
        assertThat(io.headnode.contract.InstallKey.parse("install.key", first).bytes()).hasSize(32);
        assertThat(store.ensureInstallKey(v, new java.security.SecureRandom())).as("never replaced").isEqualTo(first);
        assertThat(store.shareFiles(v)).containsOnlyKeys("install.key");
        try (CuratorFramework anonymous = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
            anonymous.start();
            anonymous.blockUntilConnected();
            String path = "/" + ClusterConnection.NAMESPACE + ClusterStore.sharePath(v, "install.key");
            assertThatThrownBy(() -> anonymous.getData().forPath(path)).isInstanceOf(KeeperException.NoAuthException.class);
        }
        store.removeSpec(v);
        assertThat(store.shareFiles(v)).isEmpty();
    }
}
