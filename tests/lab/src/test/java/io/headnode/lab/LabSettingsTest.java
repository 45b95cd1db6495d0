package io.headnode.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.BmcAddress;
import io.headnode.contract.Vlan;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LabSettingsTest {
    private static LabSettings settings(String dir, String ns, int nodes) {
        return new LabSettings(Path.of(dir), ns, new Vlan(100), nodes, Path.of("/cache"));
    }

    @Test
    void derivesNamesMacsUrisAndBmcs() {
        LabSettings s = settings("/var/lib/headnode-lab", "hnlab", 2);
        assertThat(s.nodeName(2)).isEqualTo("hnlab-node2");
        assertThat(s.nodeMac(1)).isEqualTo("52:54:00:4c:64:01");
        assertThat(s.localUri()).isEqualTo("qemu:///system?socket=/var/lib/headnode-lab/libvirt/sock/libvirt-sock");
        assertThat(s.bmcAddress(2)).isEqualTo(BmcAddress.parse("192.0.2.1:6232"));
        assertThat(s.bmcDir()).isEqualTo(Path.of("/var/lib/headnode-lab/bmc"));
        assertThat(s.nodeConsole(2)).isEqualTo(Path.of("/var/lib/headnode-lab/nodes/node2.console.log"));
    }

    @Test
    void rejectsWhatWouldBreakSocketsXmlOrNamespaces() {
        assertThatThrownBy(() -> settings("/var/lib/lab'<x>", "hnlab", 1)).hasMessageContaining("lab dir");
        assertThatThrownBy(() -> settings("/" + "d".repeat(70), "hnlab", 1)).hasMessageContaining("at most 60");
        assertThatThrownBy(() -> settings("/lab", "Bad-Name", 1)).hasMessageContaining("namespace");
        assertThatThrownBy(() -> settings("/lab", "hnlab", 0)).hasMessageContaining("outside 1..4");
        assertThatThrownBy(() -> settings("/lab", "hnlab", 5)).hasMessageContaining("outside 1..4");
    }
}
