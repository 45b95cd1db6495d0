package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Vlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlacerTest {
    private static final long GIB = 1024;
    private final Placer placer = new Placer(GIB);

    @Test
    void spreadsEveryVlanEvenlyOverTheFleet() {
        List<HostCapacity> hosts = hosts(40, 200, 400 * GIB);
        PlacementPlan plan = placer.place(vlans(1, 4094), hosts, Map.of());

        assertThat(plan.unplaced()).isEmpty();
        assertThat(plan.placements()).hasSize(4094);
        assertThat(plan.moves()).hasSize(4094).allSatisfy((vlan, move) -> assertThat(move.reason()).isEqualTo("new"));
        Map<HostId, Long> perHost = counts(plan.placements());
        assertThat(perHost).hasSize(40);
        long max = Collections.max(perHost.values());
        long min = Collections.min(perHost.values());
        assertThat((double) max / min).isLessThanOrEqualTo(1.1);
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Test
    void aSecondPassMovesNothing() {
        List<HostCapacity> hosts = hosts(5, 100, 100 * GIB);
        PlacementPlan first = placer.place(vlans(1, 300), hosts, Map.of());
        PlacementPlan second = placer.place(vlans(1, 300), hosts, first.placements());

        assertThat(second.changesNothing()).isTrue();
        assertThat(second.placements()).isEqualTo(first.placements());
    }

    @Test
    void aLostHostsHeadNodesMoveAndNoOtherDoes() {
        List<HostCapacity> hosts = hosts(40, 200, 400 * GIB);
        PlacementPlan initial = placer.place(vlans(1, 4094), hosts, Map.of());
        HostId lost = hosts.get(7).host();
        Set<Vlan> onLost = initial.placements().entrySet().stream().filter(e -> e.getValue().equals(lost))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        List<HostCapacity> survivors = new ArrayList<>(hosts);
        survivors.remove(7);

        PlacementPlan after = placer.place(vlans(1, 4094), survivors, initial.placements());

        assertThat(after.moves().keySet()).isEqualTo(onLost);
        assertThat(after.moves().values()).allSatisfy(m -> {
            assertThat(m.from()).isEqualTo(lost);
            assertThat(m.reason()).isEqualTo("host " + lost + " lost");
        });
        assertThat(after.placements()).doesNotContainValue(lost).hasSize(4094);
        Map<HostId, Long> perHost = counts(after.placements());
        assertThat((double) Collections.max(perHost.values()) / Collections.min(perHost.values())).isLessThanOrEqualTo(1.1);
    }

    @Test
    void limitsAndMemoryBoundWhatAHostTakes() {
        List<HostCapacity> hosts = List.of(
                new HostCapacity(new HostId("a"), 100 * GIB, 2, false),   // limit-bound: 2
                new HostCapacity(new HostId("b"), 3 * GIB, 100, false),    // memory-bound: 3
                new HostCapacity(new HostId("c"), 100 * GIB, 0, false));   // takes none
        PlacementPlan plan = placer.place(vlans(1, 7), hosts, Map.of());

        assertThat(counts(plan.placements())).containsOnly(Map.entry(new HostId("a"), 2L), Map.entry(new HostId("b"), 3L));
        assertThat(plan.unplaced()).containsExactly(new Vlan(6), new Vlan(7));
    }

    @Test
    void vlansNoLongerWantedAreDropped() {
        List<HostCapacity> hosts = hosts(2, 10, 10 * GIB);
        PlacementPlan first = placer.place(vlans(1, 4), hosts, Map.of());
        PlacementPlan second = placer.place(vlans(1, 2), hosts, first.placements());

        assertThat(second.placements()).containsOnlyKeys(new Vlan(1), new Vlan(2));
        assertThat(second.changesNothing()).isTrue();
    }

    @Test
    void aDrainingHostTakesNothingNewAndDrainsOneAtATime() {
        List<HostCapacity> hosts = new ArrayList<>(hosts(3, 10, 10 * GIB));
        PlacementPlan initial = placer.place(vlans(1, 6), hosts, Map.of());
        HostId draining = hosts.get(0).host();
        hosts.set(0, new HostCapacity(draining, 10 * GIB, 10, true));

        PlacementPlan more = placer.place(vlans(1, 9), hosts, initial.placements());
        assertThat(more.moves().values()).extracting(PlacementPlan.Move::to).doesNotContain(draining);

        Map<Vlan, HostId> current = more.placements();
        int steps = 0;
        while (current.containsValue(draining)) {
            PlacementPlan step = placer.drainOne(draining, hosts, current);
            assertThat(step.moves()).hasSize(1);
            PlacementPlan.Move move = step.moves().values().iterator().next();
            assertThat(move.from()).isEqualTo(draining);
            assertThat(move.to()).isNotEqualTo(draining);
            current = step.placements();
            steps++;
            assertThat(steps).isLessThanOrEqualTo(2);
        }
        assertThat(steps).isEqualTo(2);
        assertThat(current).hasSize(9);
        assertThat(placer.drainOne(draining, hosts, current).changesNothing()).isTrue();
    }

    @Test
    void drainingStopsWhenNoOtherHostHasRoom() {
        List<HostCapacity> hosts = List.of(new HostCapacity(new HostId("a"), 10 * GIB, 10, true),
                new HostCapacity(new HostId("b"), 10 * GIB, 1, false));
        Map<Vlan, HostId> current = Map.of(new Vlan(1), new HostId("a"), new Vlan(2), new HostId("b"));

        PlacementPlan step = placer.drainOne(new HostId("a"), hosts, current);

        assertThat(step.changesNothing()).isTrue();
        assertThat(step.placements()).isEqualTo(current);
    }

    @Test
    void thePlanDoesNotDependOnInputOrder() {
        List<HostCapacity> hosts = hosts(10, 50, 50 * GIB);
        PlacementPlan reference = placer.place(vlans(1, 400), hosts, Map.of());
        List<HostCapacity> shuffled = new ArrayList<>(hosts);
        Collections.shuffle(shuffled, new Random(42));

        assertThat(placer.place(vlans(1, 400), shuffled, Map.of()).placements()).isEqualTo(reference.placements());
    }

    @Test
    void refusesAHostListedTwiceAndBadNames() {
        HostCapacity a = new HostCapacity(new HostId("a"), GIB, 1, false);
        assertThatThrownBy(() -> placer.place(vlans(1, 1), List.of(a, a), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host a is listed twice");
        assertThatThrownBy(() -> new HostId("Bad_Name")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Bad_Name' is not a host name");
        assertThatThrownBy(() -> new HostCapacity(new HostId("a"), -1, 1, false)).hasMessageContaining("negative");
    }

    private static List<HostCapacity> hosts(int count, int limit, long freeMib) {
        return IntStream.range(0, count)
                .mapToObj(i -> new HostCapacity(new HostId(String.format("hv%02d", i)), freeMib, limit, false))
                .collect(Collectors.toList());
    }

    private static Set<Vlan> vlans(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Vlan::new).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<HostId, Long> counts(Map<Vlan, HostId> placements) {
        Map<HostId, Long> counts = new HashMap<>();
        placements.values().forEach(h -> counts.merge(h, 1L, Long::sum));
        return counts;
    }
}
