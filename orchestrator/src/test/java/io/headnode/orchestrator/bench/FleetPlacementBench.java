package io.headnode.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.FleetPlanner;
import io.headnode.orchestrator.cluster.FleetSnapshot;
import io.headnode.orchestrator.cluster.HostCapacity;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.HostRecord;
import io.headnode.orchestrator.cluster.Placer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: the leader's decisions for the simulation, 4,094 VLANs over 40 hosts (limit 120,
 * 64 GiB free each), from the same {@link FleetSnapshot} the leader reads from its cache: the initial placement, the
 * balance, and re-placing one lost host's head nodes after its grace. Writes to ZooKeeper are not included.
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
        List<FleetPlanner.Write> initial = planner.decide(new FleetSnapshot(nodes), t0);
        long placeMs = (System.nanoTime() - a) / 1_000_000;
        initial.forEach(w -> nodes.put(ClusterStore.placementPath(w.vlan()), w.placement().encode()));
        Map<HostId, Integer> counts = new TreeMap<>();
        new FleetSnapshot(nodes).placements().values().forEach(p -> counts.merge(p.host(), 1, Integer::sum));
        int max = counts.values().stream().mapToInt(i -> i).max().orElseThrow();
        int min = counts.values().stream().mapToInt(i -> i).min().orElseThrow();

        nodes.remove(ClusterStore.hostPath(new HostId("hv7")));
        planner.decide(new FleetSnapshot(nodes), t0.plusSeconds(1)); // the leader sees hv7 gone: its grace starts
        long b = System.nanoTime();
        List<FleetPlanner.Write> moved = planner.decide(new FleetSnapshot(nodes), t0.plusSeconds(30));
        long replaceMs = (System.nanoTime() - b) / 1_000_000;

        String report = "| step | result |\n|---|---|\n"
                + "| initial placement, 4,094 VLANs over 40 hosts | " + placeMs + " ms, " + initial.size() + " placements |\n"
                + "| balance (most / least loaded) | " + max + " / " + min + " = " + String.format("%.3f", (double) max / min) + "x |\n"
                + "| re-place lost host hv7's head nodes | " + replaceMs + " ms, " + moved.size() + " moves |\n";
        System.out.print(report);
        Files.writeString(Path.of("target/bench-fleet-placement.md"), report);
        assertThat(initial).hasSize(4094);
        assertThat(moved).hasSize(counts.get(new HostId("hv7")));
    }
}
