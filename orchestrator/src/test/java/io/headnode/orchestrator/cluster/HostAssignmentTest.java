package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostAssignmentTest {
    final HostId hv1 = new HostId("hv1");

    @Test
    void roundTripsSortedByVlan() {
        HostAssignment a = new HostAssignment(new java.util.TreeMap<>(Map.of(new Vlan(12), 3L, new Vlan(7), 1L)));
        assertThat(new String(a.encode(), StandardCharsets.US_ASCII)).isEqualTo("7 1\n12 3\n");
        assertThat(HostAssignment.decode("/assigned/hv1", a.encode())).isEqualTo(a);
        assertThat(a.placements(hv1)).containsOnlyKeys(new Vlan(7), new Vlan(12)).containsEntry(new Vlan(12), new Placement(hv1, 3));
        assertThat(HostAssignment.decode("/assigned/hv1", new byte[0])).isEqualTo(HostAssignment.EMPTY);
    }

    @Test
    void badDataNamesTheNodeAndLine() {
        assertThatThrownBy(() -> HostAssignment.decode("/assigned/hv1", "7 1\n8\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("/assigned/hv1: line 2").hasMessageContaining("'8' is not '<vlan> <epoch>'");
        assertThatThrownBy(() -> HostAssignment.decode("/assigned/hv1", "7 1\n7 2\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("line 2").hasMessageContaining("listed twice");
        assertThatThrownBy(() -> HostAssignment.decode("/assigned/hv1", "7 0\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("epoch 0 is below 1");
        assertThatThrownBy(() -> HostAssignment.decode("/assigned/hv1", new byte[HostAssignment.MAX_BYTES + 1]))
                .hasMessageContaining("more than");
    }
}
