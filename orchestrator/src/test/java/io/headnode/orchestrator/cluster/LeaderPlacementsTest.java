package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Vlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LeaderPlacementsTest {
    static final HostId HV1 = new HostId("hv1");
    static final HostId HV2 = new HostId("hv2");
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static ClusterFixtures.InJvmStore zk;
    static CuratorFramework client;
    static ClusterStore store;

    @BeforeAll
    static void start() throws Exception {
        zk = ClusterFixtures.InJvmStore.start(ClusterStoreTest.SECRET);
        client = zk.client();
        store = zk.store();
    }

    @AfterAll
    static void stop() throws Exception {
        zk.close();
    }

    @Test
    void readsOnceThenFollowsItsOwnWritesAndReadsAgainWhenDueOrForgotten() throws Exception {
        for (int v = 1; v <= 1_200; v++) { // more than one multi-read
            store.putPlacement(new Vlan(v), new Placement(HV1, 1));
        }
        client.create().forPath(ClusterStore.placementPath(new Vlan(1_201)), "not a placement".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LeaderPlacements p = new LeaderPlacements();
        assertThat(p.due(T0)).as("never read").isTrue();
        assertThatThrownBy(p::all).isInstanceOf(NullPointerException.class);
        p.load(store, T0);
        assertThat(p.all()).hasSize(1_200).containsEntry(new Vlan(1_200), new Placement(HV1, 1)).doesNotContainKey(new Vlan(1_201));
        assertThat(p.due(T0.plus(LeaderPlacements.RELOAD).minusMillis(1))).isFalse();

        // its own writes: no read back
        p.wrote(List.of(new FleetPlanner.Write(new Vlan(5), new Placement(HV2, 2), "moved"), new FleetPlanner.Write(new Vlan(6), null, "spec removed")));
        assertThat(p.all()).containsEntry(new Vlan(5), new Placement(HV2, 2)).doesNotContainKey(new Vlan(6)).hasSize(1_199);

        // a placement written by someone else shows once the view is read again
        store.putPlacement(new Vlan(7), new Placement(HV2, 9));
        assertThat(p.all()).containsEntry(new Vlan(7), new Placement(HV1, 1));
        assertThat(p.due(T0.plus(LeaderPlacements.RELOAD))).isTrue();
        assertThat(p.due(T0.minusSeconds(1))).as("a clock gone back reads again").isTrue();
        p.load(store, T0.plus(LeaderPlacements.RELOAD));
        assertThat(p.all()).containsEntry(new Vlan(7), new Placement(HV2, 9)).containsEntry(new Vlan(5), new Placement(HV1, 1))
                .containsKey(new Vlan(6));

        p.forget();
        assertThat(p.due(T0.plus(LeaderPlacements.RELOAD))).isTrue();
        for (int v = 1; v <= 1_201; v++) {
            store.removePlacement(new Vlan(v));
        }
    }

    @Test
    void itsViewCannotBeChangedFromOutside() throws Exception {
        LeaderPlacements p = new LeaderPlacements();
        p.load(store, T0);
        Map<Vlan, Placement> all = p.all();
        assertThatThrownBy(() -> all.put(new Vlan(9), new Placement(HV1, 1))).isInstanceOf(UnsupportedOperationException.class);
    }
}
