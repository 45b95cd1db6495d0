package io.headnode.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabStateTest {
    @Test
    void pidsSurviveANewProcess(@TempDir Path dir) {
        Path file = dir.resolve("lab.state");
        LabState.load(file).putPid("dhcpd", 4242);
        LabState again = LabState.load(file);
        assertThat(again.pid("dhcpd")).contains(4242L);
        assertThat(again.pid("tftpd")).isEmpty();
    }

    @Test
    void aBrokenStateFileNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lab.state");
        Files.writeString(file, "pid.dhcpd = 1\npid.dhcpd = 2\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LabState.load(file)).hasMessageContaining("lab.state:2");
    }

    @Test
    void aBadPidNamesFileLineAndKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lab.state");
        Files.writeString(file, "# made by hand\npid.dhcpd = twelve\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LabState.load(file)).hasMessageContaining("lab.state:2").hasMessageContaining("pid.dhcpd");
    }
}
