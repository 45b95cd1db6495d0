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
}
