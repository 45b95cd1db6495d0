package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadnodeConfigTest {
    @Test
    void defaultsRoundTrip() throws Exception {
        HeadnodeConfig c = HeadnodeConfig.defaults(new Vlan(300));
        assertThat(c.privateAddress().toString()).isEqualTo("10.1.44.1/24");
        assertThat(HeadnodeConfig.parse("headnode.conf", c.render())).isEqualTo(c);
    }

    @Test
    void unknownKeyAndBadValueNameLineAndField() {
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", "vlan = 5\ncolour = red\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("headnode.conf:2: colour: unknown key");
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", "vlan = 5\nprivate-address = 10.0.0.0/24\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("headnode.conf:2: private-address:");
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", "vlan = 4095\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("headnode.conf:1: vlan: VLAN 4095 is outside 1..4094");
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", "vlan = 5\n\ninstall-attempts = 500\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("headnode.conf:3: install-attempts: 500 is outside 1..100");
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", "power-driver = Amt!\nvlan = 5\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("headnode.conf:1: power-driver: 'Amt!' is not a driver name");
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", "vlan = 5\nvlan = 6\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("headnode.conf:2: vlan: given twice (first on line 1)");
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", "# no vlan\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ShareFormatException.class).hasMessage("headnode.conf: vlan: missing");
    }

    @Test
    void existingFilesStillParseWithCrlfBomAndTrailingComments() throws Exception {
        byte[] windows = "\ufeff# edited on windows\r\nvlan = 300\r\npower-driver = ipmi   # BMCs speak IPMI\r\n".getBytes(StandardCharsets.UTF_8);
        HeadnodeConfig c = HeadnodeConfig.parse("headnode.conf", windows);
        assertThat(c.vlan().id()).isEqualTo(300);
        assertThat(c.powerDriver()).isEqualTo("ipmi");
    }

    @Test
    void atomicWriteSkipsUnchangedContent(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.txt");
        assertThat(AtomicFiles.writeIfChanged(f, "x".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(AtomicFiles.writeIfChanged(f, "x".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(AtomicFiles.writeIfChanged(f, "y".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Files.readString(f)).isEqualTo("y");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
    }
}
