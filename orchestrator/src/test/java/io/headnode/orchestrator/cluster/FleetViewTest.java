package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetViewTest {
    static final HostId HV1 = new HostId("hv1");
    static final HostId HV2 = new HostId("hv2");
    static final HostId HV3 = new HostId("hv3");

    @Test
    void aSnapshotsViewDecodesItsPlacementsSpecNamesAndDrainMarksAndDropsABadPlacement() {
        Map<String, byte[]> nodes = new java.util.HashMap<>();
        nodes.put("/placements/10", new Placement(HV1, 1).encode());
        nodes.put("/placements/11", "not a placement".getBytes(StandardCharsets.UTF_8));
        nodes.put("/specs/10", new byte[0]);
        nodes.put("/specs/12", new byte[0]);
        nodes.put("/drain/hv2", new byte[0]);
        FleetView v = FleetView.of(new FleetSnapshot(nodes));
        assertThat(v.placements()).containsOnly(Map.entry(new Vlan(10), new Placement(HV1, 1)));
        assertThat(v.specVlans()).containsExactly(new Vlan(10), new Vlan(12));
        assertThat(v.draining()).containsExactly(HV2);
        assertThat(v.hosts()).isEmpty();
    }

    @Test
    void itIsSortedAndACopy() {
        Map<Vlan, Placement> placements = new java.util.HashMap<>();
        for (int v = 100; v >= 1; v--) {
            placements.put(new Vlan(v), new Placement(HV1, 1));
        }
        FleetView view = new FleetView(placements, Map.of(), Set.of(), Set.of());
        placements.clear();
        assertThat(view.placements()).hasSize(100);
        assertThat(List.copyOf(view.placements().keySet())).isSorted();
    }
}
