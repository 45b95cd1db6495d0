package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetPlannerTest {
    static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
    final FleetPlanner planner = new FleetPlanner(new Placer(1024), Duration.ofSeconds(20));
    final Map<String, byte[]> nodes = new HashMap<>();

    void host(String name, int limit) {
        HostRecord r = new HostRecord(new HostCapacity(new HostId(name), 64 * 1024, limit, false), List.of("br0"), 0);
        nodes.put(ClusterStore.hostPath(r.host()), r.encode());
    }

    void spec(int vlan) {
        nodes.put(ClusterStore.specPath(new Vlan(vlan)), "x".getBytes(StandardCharsets.UTF_8));
    }

    void apply(List<FleetPlanner.Write> writes) {
        for (FleetPlanner.Write w : writes) {
            if (w.placement() == null) {
                nodes.remove(ClusterStore.placementPath(w.vlan()));
            } else {
                nodes.put(ClusterStore.placementPath(w.vlan()), w.placement().encode());
            }
        }
    }

    FleetSnapshot fleet() {
        return new FleetSnapshot(nodes);
    }

    @Test
    void placesNewVlansSpreadAndThenChangesNothing() {
        host("hv1", 10);
        host("hv2", 10);
        spec(100);
        spec(101);
        apply(planner.decide(FleetView.of(fleet()), T0));
        assertThat(fleet().placements().values()).extracting(p -> p.host().name()).containsExactlyInAnyOrder("hv1", "hv2");
        assertThat(fleet().placements().values()).allMatch(p -> p.epoch() == 1);
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void aLostHostsVlansMoveOnlyAfterTheGraceWithANewEpoch() {
        host("hv1", 10);
        host("hv2", 10);
        spec(100);
        spec(101);
        apply(planner.decide(FleetView.of(fleet()), T0));
        Vlan onHv1 = fleet().placements().entrySet().stream().filter(e -> e.getValue().host().name().equals("hv1")).findFirst().orElseThrow().getKey();
        nodes.remove(ClusterStore.hostPath(new HostId("hv1")));
        assertThat(planner.nextGraceEnd()).isEmpty();
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(10))).isEmpty();           // first seen gone: grace starts
        assertThat(planner.nextGraceEnd()).contains(T0.plusSeconds(30));            // the leader decides again then
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(29))).isEmpty();           // 19 s into a 20 s grace
        List<FleetPlanner.Write> writes = planner.decide(FleetView.of(fleet()), T0.plusSeconds(30));
        assertThat(writes).singleElement().satisfies(w -> {
            assertThat(w.vlan()).isEqualTo(onHv1);
            assertThat(w.placement()).isEqualTo(new Placement(new HostId("hv2"), 2));
            assertThat(w.reason()).contains("hv1 lost");
        });
        apply(writes);
        planner.decide(FleetView.of(fleet()), T0.plusSeconds(31));
        assertThat(planner.nextGraceEnd()).isEmpty();                                // nothing left to wait for
    }

    @Test
    void aHostBackInsideItsGraceKeepsItsVlans() {
        host("hv1", 10);
        host("hv2", 10);
        spec(100);
        spec(101);
        apply(planner.decide(FleetView.of(fleet()), T0));
        byte[] hv1 = nodes.remove(ClusterStore.hostPath(new HostId("hv1")));
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(1))).isEmpty();
        nodes.put(ClusterStore.hostPath(new HostId("hv1")), hv1);
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void aDeletedSpecLosesItsPlacementAndDrainMovesOneAtATime() {
        host("hv1", 10);
        spec(100);
        spec(101);
        apply(planner.decide(FleetView.of(fleet()), T0));
        host("hv2", 10);
        nodes.put(ClusterStore.DRAIN + "/hv1", new byte[0]);
        List<FleetPlanner.Write> first = planner.decide(FleetView.of(fleet()), T0.plusSeconds(1));
        assertThat(first).singleElement().satisfies(w -> assertThat(w.placement().host().name()).isEqualTo("hv2"));
        apply(first);
        reports("hv2", first.get(0).vlan().id(), 2);
        apply(planner.decide(FleetView.of(fleet()), T0.plusSeconds(2)));
        assertThat(fleet().placements().values()).allMatch(p -> p.host().name().equals("hv2"));
        nodes.remove(ClusterStore.specPath(new Vlan(100)));
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(3))).singleElement()
                .satisfies(w -> assertThat(w.placement()).isNull());
    }

    void reports(String host, int vlan, long epoch) {
        HostId h = new HostId(host);
        HostRecord old = fleet().hosts().get(h);
        Map<Vlan, Long> runs = new HashMap<>(old.headnodes());
        runs.put(new Vlan(vlan), epoch);
        nodes.put(ClusterStore.hostPath(h), new HostRecord(old.capacity(), old.bridges(), old.running(), runs).encode());
    }

    @Test
    void drainMovesTheNextVlanOnlyOnceTheMovedHeadNodeRunsOnItsNewHost() {
        host("hv1", 10);
        spec(100);
        spec(101);
        spec(102);
        apply(planner.decide(FleetView.of(fleet()), T0));
        host("hv2", 10);
        nodes.put(ClusterStore.DRAIN + "/hv1", new byte[0]);
        List<FleetPlanner.Write> first = planner.decide(FleetView.of(fleet()), T0.plusSeconds(1));
        assertThat(first).singleElement().satisfies(w -> assertThat(w.placement()).isEqualTo(new Placement(new HostId("hv2"), 2)));
        apply(first);
        Vlan moved = first.get(0).vlan();
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(2))).isEmpty();          // written, not running yet
        reports("hv2", moved.id(), 1);                                              // an older epoch does not count
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(60))).isEmpty();
        assertThat(planner.drainInFlight().vlan()).isEqualTo(moved);
        reports("hv2", moved.id(), 2);
        List<FleetPlanner.Write> second = planner.decide(FleetView.of(fleet()), T0.plusSeconds(61));
        assertThat(second).singleElement().satisfies(w -> {
            assertThat(w.vlan()).isNotEqualTo(moved);
            assertThat(w.placement().host().name()).isEqualTo("hv2");
        });
        apply(second);
        // the new host is lost before it reports: the move no longer holds the drain (the lost host's VLANs wait
        // out their grace as usual)
        nodes.remove(ClusterStore.hostPath(new HostId("hv2")));
        host("hv3", 10);
        assertThat(planner.decide(FleetView.of(fleet()), T0.plusSeconds(62))).singleElement()
                .satisfies(w -> assertThat(w.placement().host().name()).isEqualTo("hv3"));
    }

    @Test
    void aHostRecordCarriesTheHeadNodesItRunsWithTheirEpochs() throws Exception {
        HostId h = new HostId("hv1");
        HostRecord r = new HostRecord(new HostCapacity(h, 4096, 10, false), List.of("br0"), 2, Map.of(new Vlan(7), 3L, new Vlan(100), 1L));
        HostRecord back = HostRecord.decode(h, "/hosts/hv1", r.encode());
        assertThat(back).isEqualTo(r);
        assertThat(back.runs(new Vlan(7), new Placement(h, 3))).isTrue();
        assertThat(back.runs(new Vlan(7), new Placement(h, 2))).isFalse();
        assertThat(back.runs(new Vlan(7), new Placement(new HostId("hv2"), 3))).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostRecord.decode(h, "/hosts/hv1",
                "headnodes = 7@x\n".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("headnodes").hasMessageContaining("7@x");
    }
}
