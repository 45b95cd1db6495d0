package io.headnode.agent.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnservedArchitecturesTest {
    @Test
    void readsDhcpdsLinesIncrementallyAndNormalisesTheUnpaddedMac(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("dhcpd.log");
        UnservedArchitectures u = new UnservedArchitectures(log);
        assertThat(u.scan()).isEmpty();   // no log yet
        // what dhcpd 4.4 printed for an arm64 client (binary-to-ascii does not zero-pad), twice per boot
        Files.writeString(log, "DHCPDISCOVER from 52:54:00:99:00:01 via br0\n"
                + "headnode: unserved-arch mac=52:54:0:99:0:1 arch=11\n"
                + "headnode: unserved-arch mac=52:54:0:99:0:1 arch=11\n"
                + "headnode: unserved-arch mac=52:54:0:99:0:2 arch=2");   // incomplete line: not yet
        assertThat(u.scan()).isEqualTo(Map.of(MacAddress.parse("52:54:00:99:00:01"), 11));
        Files.writeString(log, "5\n", StandardOpenOption.APPEND);
        assertThat(u.scan()).isEqualTo(Map.of(MacAddress.parse("52:54:00:99:00:01"), 11, MacAddress.parse("52:54:00:99:00:02"), 25));
        Files.writeString(log, "new log\n");   // shrank: read from the start
        assertThat(u.scan()).hasSize(2);
        assertThat(UnservedArchitectures.name(11)).isEqualTo("ARM 64-bit UEFI");
    }
}
