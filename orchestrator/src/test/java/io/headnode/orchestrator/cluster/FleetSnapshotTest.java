package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetSnapshotTest {
    @Test
    void anEmptyRequestsContainerIsADirectoryNotAFile() {
        // ZooKeeper's container node requests/ is seen alone before its first child arrives and after the last goes
        FleetSnapshot f = new FleetSnapshot(Map.of(
                "/share/100/machines.txt", "m".getBytes(StandardCharsets.UTF_8),
                "/share/100/requests", new byte[0]));
        assertThat(f.shareFiles(new Vlan(100))).containsOnlyKeys("machines.txt");
    }

    @Test
    void oneVlansShareFilesAreItsOwnOnlyAndTheLeadersUnseenWritesOverlayTheCache() {
        Map<String, byte[]> nodes = new java.util.HashMap<>();
        nodes.put("/share/10/machines.txt", "a".getBytes(StandardCharsets.UTF_8));
        nodes.put("/share/10/requests/r1.install", "b".getBytes(StandardCharsets.UTF_8));
        nodes.put("/share/100/machines.txt", "c".getBytes(StandardCharsets.UTF_8)); // a prefix of 10's path, another VLAN
        nodes.put("/placements/10", new Placement(new HostId("hv1"), 1).encode());
        nodes.put("/placements/11", new Placement(new HostId("hv1"), 4).encode());
        FleetSnapshot f = new FleetSnapshot(nodes);
        assertThat(f.shareFiles(new Vlan(10))).containsOnlyKeys("machines.txt", "requests/r1.install");

        FleetSnapshot over = f.withPlacements(Map.of(new Vlan(10), java.util.Optional.of(new Placement(new HostId("hv2"), 2)),
                new Vlan(11), java.util.Optional.empty(), new Vlan(12), java.util.Optional.of(new Placement(new HostId("hv3"), 1))));
        assertThat(over.placements()).containsOnly(Map.entry(new Vlan(10), new Placement(new HostId("hv2"), 2)),
                Map.entry(new Vlan(12), new Placement(new HostId("hv3"), 1)));
        assertThat(f.placements()).hasSize(2); // the cache's own view is unchanged
    }
}
