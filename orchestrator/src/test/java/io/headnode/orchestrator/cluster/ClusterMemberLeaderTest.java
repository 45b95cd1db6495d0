package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader decides on its own thread (Curator's in-JVM server): it places new VLANs while the member's own thread
 * is stuck in a pass; a closed member leaves the election; a member deposed without knowing it writes nothing.
 */
class ClusterMemberLeaderTest {
    static final int SESSION_MS = 4_000;
    TestingServer server;
    CuratorFramework admin;
    ClusterStore adminStore;
    CuratorFramework client;
    ClusterMember member;
    final BlockingLocal local = new BlockingLocal();

    /** The host's local state in memory; {@link #apply} blocks once {@code block} is armed, until released. */
    static final class BlockingLocal implements LocalHeadnodes {
        final Map<Vlan, byte[]> specs = new ConcurrentHashMap<>();
        volatile boolean block;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Set<Vlan> vlans() {
            return Set.copyOf(specs.keySet());
        }

        @Override
        public boolean apply(Vlan vlan, byte[] spec, Map<String, byte[]> shareFiles) {
            if (block) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return specs.put(vlan, spec) == null;
        }

        @Override
        public void remove(Vlan vlan) {
            specs.remove(vlan);
        }

        @Override
        public Set<Vlan> running() {
            return vlans();
        }

        @Override
        public Set<Vlan> fence() {
            Set<Vlan> all = vlans();
            specs.clear();
            return all;
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        admin = ClusterConnection.open(ClusterStoreTest.config(server.getConnectString()), ClusterStoreTest.SECRET);
        adminStore = new ClusterStore(admin);
        adminStore.ensureLayout();
        client = ClusterConnection.open(ClusterStoreTest.config(server.getConnectString()), ClusterStoreTest.SECRET);
        HostId id = new HostId("hv1");
        member = new ClusterMember(new ClusterStore(client), id, server.getConnectString(), SESSION_MS, local,
                () -> new HostCapacity(id, 16 * 1024, 100, false), List.of("br0"), v -> { }, new Placer(256),
                Duration.ofSeconds(30), Clock.systemUTC());
        member.start();
        await().atMost(Duration.ofSeconds(10)).until(member::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        local.release.countDown();
        member.close();
        client.close();
        admin.close();
        server.close();
    }

    private void spec(int vlan) throws Exception {
        adminStore.putSpec(new Vlan(vlan), "memory-mib = 256\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLeaderPlacesWhileTheMembersThreadIsBusy() throws Exception {
        local.block = true;
        spec(100);
        assertThat(local.entered.await(10, TimeUnit.SECONDS)).as("the member's pass writes VLAN 100 and blocks").isTrue();
        for (int v = 101; v <= 120; v++) {
            spec(v);
        }
        // the member's thread is still inside apply(VLAN 100): before, the leader decided on that same thread
        await().atMost(Duration.ofSeconds(10)).until(() -> adminStore.placements().size() == 21);
        assertThat(local.release.getCount()).isEqualTo(1);
        assertThat(adminStore.placements().values()).allMatch(p -> p.host().equals(new HostId("hv1")) && p.epoch() == 1);
        local.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> local.vlans().size() == 21);
    }

    @Test
    void aLeaderDeposedWithoutKnowingItWritesNothingUntilItHasJoinedTheElectionAgain() throws Exception {
        spec(100);
        await().atMost(Duration.ofSeconds(10)).until(() -> adminStore.placements().size() == 1);
        List<String> nodes = admin.getChildren().forPath(ClusterStore.LEADER);
        assertThat(nodes).hasSize(1);
        String first = ClusterStore.LEADER + "/" + nodes.get(0);
        // its node goes while its session lives (a latch does not watch its own node): it still thinks it leads
        admin.delete().forPath(first);
        assertThat(member.isLeader()).isTrue();
        spec(101);
        // the member's first write for VLAN 101 is refused by ZooKeeper (the fence), so it joins the line again,
        // leads with its new node, and only then places VLAN 101
        await().atMost(Duration.ofSeconds(10)).until(() -> adminStore.placement(new Vlan(101)).isPresent());
        List<String> now = admin.getChildren().forPath(ClusterStore.LEADER);
        assertThat(now).hasSize(1).doesNotContain(nodes.get(0));
        long rejoined = admin.checkExists().forPath(ClusterStore.LEADER + "/" + now.get(0)).getCzxid();
        long placed = admin.checkExists().forPath(ClusterStore.placementPath(new Vlan(101))).getCzxid();
        assertThat(placed).as("VLAN 101 was placed after the member joined again, not while deposed").isGreaterThan(rejoined);
        assertThat(member.isLeader()).isTrue();
    }

    @Test
    void aClosedMemberLeavesTheElection() throws Exception {
        spec(100);
        await().atMost(Duration.ofSeconds(10)).until(() -> adminStore.placements().size() == 1);
        assertThat(admin.getChildren().forPath(ClusterStore.LEADER)).hasSize(1);
        member.close(); // stops its threads (the leader's too) and leaves the election: another host may lead
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getChildren().forPath(ClusterStore.LEADER).isEmpty());
        assertThat(member.isLeader()).isFalse();
    }
}
