package io.headnode.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.FleetPlanner;
import io.headnode.orchestrator.cluster.FleetSnapshot;
import io.headnode.orchestrator.cluster.FleetView;
import io.headnode.orchestrator.cluster.HostCapacity;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.HostRecord;
import io.headnode.orchestrator.cluster.Placement;
import io.headnode.orchestrator.cluster.Placer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: the leader's decisions for the simulation, 4,094 VLANs over 40 hosts (limit 120,
 * 64 GiB free each), from the same {@link FleetSnapshot} the leader reads from its cache: the initial placement, the
 * balance, and re-placing one lost host's head nodes after its grace. Writes to ZooKeeper are not included. Also a
 * decision that changes nothing (what the leader computes on every burst of cache events, its own writes' echoes
 * included), from the snapshot of every node and from the decoded view the leader uses ({@link FleetView}).
 */
class FleetPlacementBench {
    @Test
    void placeAndReplace() throws Exception {
        Map<String, byte[]> nodes = new HashMap<>();
        for (int h = 1; h <= 40; h++) {
            HostRecord r = new HostRecord(new HostCapacity(new HostId("hv" + h), 64 * 1024, 120, false), List.of("br0"), 0);
            nodes.put(ClusterStore.hostPath(r.host()), r.encode());
        }
        for (int v = 1; v <= 4094; v++) {
            nodes.put(ClusterStore.specPath(new Vlan(v)), new byte[] {'x'});
        }
        Instant t0 = Instant.parse("2026-12-02T12:00:00Z");
        FleetPlanner planner = new FleetPlanner(new Placer(512), Duration.ofSeconds(20));
        long a = System.nanoTime();
        List<FleetPlanner.Write> initial = planner.decide(FleetView.of(new FleetSnapshot(nodes)), t0);
        long placeMs = (System.nanoTime() - a) / 1_000_000;
        initial.forEach(w -> nodes.put(ClusterStore.placementPath(w.vlan()), w.placement().encode()));
        Map<HostId, Integer> counts = new TreeMap<>();
        new FleetSnapshot(nodes).placements().values().forEach(p -> counts.merge(p.host(), 1, Integer::sum));
        int max = counts.values().stream().mapToInt(i -> i).max().orElseThrow();
        int min = counts.values().stream().mapToInt(i -> i).min().orElseThrow();

        Map<Vlan, Placement> decoded = new HashMap<>(new FleetSnapshot(nodes).placements()); // as the cache's index holds them
        Map<HostId, HostRecord> hosts = new FleetSnapshot(nodes).hosts();
        java.util.Set<Vlan> names = new FleetSnapshot(nodes).specVlans();
        long fromSnapshot = medianMs(() -> planner.decide(FleetView.of(new FleetSnapshot(nodes)), t0.plusMillis(1)));
        long fromView = medianMs(() -> planner.decide(new FleetView(new TreeMap<>(decoded), hosts, names, java.util.Set.of()), t0.plusMillis(1)));

        nodes.remove(ClusterStore.hostPath(new HostId("hv7")));
        planner.decide(FleetView.of(new FleetSnapshot(nodes)), t0.plusSeconds(1)); // the leader sees hv7 gone: its grace starts
        long b = System.nanoTime();
        List<FleetPlanner.Write> moved = planner.decide(FleetView.of(new FleetSnapshot(nodes)), t0.plusSeconds(30));
        long replaceMs = (System.nanoTime() - b) / 1_000_000;

        String report = "| step | result |\n|---|---|\n"
                + "| initial placement, 4,094 VLANs over 40 hosts | " + placeMs + " ms, " + initial.size() + " placements |\n"
                + "| balance (most / least loaded) | " + max + " / " + min + " = " + String.format("%.3f", (double) max / min) + "x |\n"
                + "| re-place lost host hv7's head nodes | " + replaceMs + " ms, " + moved.size() + " moves |\n"
                + "| a decision that changes nothing, from a snapshot of every node (median of 5) | " + fromSnapshot + " ms |\n"
                + "| the same from the decoded view (median of 5) | " + fromView + " ms |\n";
        System.out.print(report);
        Files.writeString(Path.of("target/bench-fleet-placement.md"), report);
        assertThat(initial).hasSize(4094);
        assertThat(moved).hasSize(counts.get(new HostId("hv7")));
    }

    /** The median of 5 timed runs of a decision that must change nothing, after 5 untimed ones (JIT). */
    static long medianMs(Supplier<List<FleetPlanner.Write>> decision) {
        long[] ms = new long[5];
        for (int i = 0; i < 10; i++) {
            long a = System.nanoTime();
            assertThat(decision.get()).isEmpty();
            if (i >= 5) {
                ms[i - 5] = (System.nanoTime() - a) / 1_000_000;
            }
        }
        java.util.Arrays.sort(ms);
        return ms[2];
    }
}
