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
    void oneVlansShareFilesAreItsOwnOnly() {
        Map<String, byte[]> nodes = new java.util.HashMap<>();
        nodes.put("/share/10/machines.txt", "a".getBytes(StandardCharsets.UTF_8));
        nodes.put("/share/10/requests/r1.install", "b".getBytes(StandardCharsets.UTF_8));
        nodes.put("/share/100/machines.txt", "c".getBytes(StandardCharsets.UTF_8)); // a prefix of 10's path, another VLAN
        FleetSnapshot f = new FleetSnapshot(nodes);
        assertThat(f.shareFiles(new Vlan(10))).containsOnlyKeys("machines.txt", "requests/r1.install");
    }
}
