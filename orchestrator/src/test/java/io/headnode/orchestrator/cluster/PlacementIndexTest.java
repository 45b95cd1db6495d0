package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementIndexTest {
    static final HostId HV1 = new HostId("hv1");
    static final HostId HV2 = new HostId("hv2");

    @Test
    void aMoveReplacesThePlacementAndADeletionRemovesIt() {
        PlacementIndex index = new PlacementIndex();
        index.update("/placements/10", new Placement(HV1, 1).encode());
        index.update("/placements/11", new Placement(HV1, 1).encode());
        index.update("/placements", new byte[0]); // the parent node itself
        assertThat(index.all()).containsOnlyKeys(new Vlan(10), new Vlan(11));

        index.update("/placements/10", new Placement(HV2, 2).encode());
        assertThat(index.all()).containsEntry(new Vlan(10), new Placement(HV2, 2)).containsEntry(new Vlan(11), new Placement(HV1, 1));

        index.update("/placements/11", null);
        assertThat(index.all()).containsExactly(Map.entry(new Vlan(10), new Placement(HV2, 2)));
    }

    @Test
    void aPlacementThatDoesNotDecodeCountsAsNone() {
        PlacementIndex index = new PlacementIndex();
        index.update("/placements/10", new Placement(HV1, 1).encode());
        index.update("/placements/10", "garbage".getBytes(StandardCharsets.UTF_8));
        index.update("/placements/not-a-vlan", new Placement(HV1, 1).encode());
        assertThat(index.all()).isEmpty();
    }
}
