package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    @Test
    void defaultsAreTheGuestPaths() {
        AgentConfig c = AgentConfig.defaults();
        assertThat(c.shareMount()).isEqualTo(Path.of("/etc/moc"));
        assertThat(c.tftpRoot()).isEqualTo(Path.of("/var/lib/tftpboot"));
        assertThat(c.dhcpDir()).isEqualTo(Path.of("/etc/dhcp"));
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/headnode-agent"));
        assertThat(c.privateInterface()).isEqualTo("eth0");
        assertThat(c.publicInterface()).isEqualTo("eth1");
        assertThat(c.statusPort()).isEqualTo(Path.of("/dev/virtio-ports/io.headnode.status"));
        assertThat(c.statusInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.mountShare()).isTrue();
        assertThat(c.httpPort()).isEqualTo(80);
    }

    @Test
    void fileOverridesAndRejectsUnknownKeysWithLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("agent.conf");
        Files.writeString(f, "# test\nshare-mount = /tmp/s\nprivate-interface = veth0 # comment\nmount-share = false\n");
        AgentConfig c = AgentConfig.load(f);
        assertThat(c.shareMount()).isEqualTo(Path.of("/tmp/s"));
        assertThat(c.privateInterface()).isEqualTo("veth0");
        assertThat(c.mountShare()).isFalse();
        Files.writeString(f, "share-mount = /x\ncolour = red\n");
        assertThatThrownBy(() -> AgentConfig.load(f)).hasMessageContaining("agent.conf:2: colour: unknown key");
        Files.writeString(f, "private-interface = eth0; rm -rf /\n");
        assertThatThrownBy(() -> AgentConfig.load(f)).hasMessageContaining("private-interface");
        Files.writeString(f, "# bad port\nhttp-port = 0\n");
        assertThatThrownBy(() -> AgentConfig.load(f)).hasMessage(f + ":2: http-port: 0 is outside 1..65535");
        Files.writeString(f, "mount-share = maybe\n");
        assertThatThrownBy(() -> AgentConfig.load(f)).hasMessage(f + ":1: mount-share: 'maybe' is not true or false");
        Files.writeString(f, "poll-interval-ms = 10\npoll-interval-ms = 20\n");
        assertThatThrownBy(() -> AgentConfig.load(f)).hasMessage(f + ":2: poll-interval-ms: given twice (first on line 1)");
    }

    @Test
    void missingFileMeansDefaults(@TempDir Path dir) throws Exception {
        assertThat(AgentConfig.load(dir.resolve("none.conf"))).isEqualTo(AgentConfig.defaults());
    }

    /** Found by fuzzing agent.conf: a port past the int range wrapped around, and a zero timeout failed only at the HTTP step. */
    @Test
    void numbersPastTheirRangeAndANonPositiveRequestTimeoutAreRefusedAtStart() {
        assertThatThrownBy(() -> AgentConfig.parse("agent.conf", "http-port = 4294967376\n".getBytes()))
                .hasMessage("agent.conf:1: http-port: '4294967376' is not a whole number");
        assertThatThrownBy(() -> AgentConfig.parse("agent.conf", "http-threads = -4294967295\n".getBytes()))
                .hasMessage("agent.conf:1: http-threads: '-4294967295' is not a whole number");
        assertThatThrownBy(() -> AgentConfig.parse("agent.conf", "\nhttp-request-timeout-ms = 0\n".getBytes()))
                .hasMessage("agent.conf:2: http-request-timeout-ms: 0 is less than 1");
    }
}
