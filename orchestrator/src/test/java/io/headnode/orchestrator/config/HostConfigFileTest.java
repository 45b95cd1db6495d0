package io.headnode.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostConfigFileTest {
    @Test
    void defaultsMatchTheSeedsPaths() {
        HostConfig d = HostConfig.defaults();
        assertThat(d.shareRoot()).isEqualTo(Path.of("/var/lib/headnode-config"));
        assertThat(d.stateDir()).isEqualTo(Path.of("/var/lib/headnode"));
        assertThat(d.apparmorDir()).isEqualTo(Path.of("/etc/apparmor.d"));
        assertThat(d.connect()).isEqualTo("qemu:///system");
        assertThat(d.networkCommandPrefix()).isEmpty();
    }

    @Test
    void parsesEveryKeyAndKeepsDefaultsForTheRest() throws Exception {
        HostConfig c = HostConfigFile.parse("o.conf", """
                # test host
                state-dir = /tmp/s
                share-root = /tmp/share   # trailing comment
                network-command-prefix = ip netns exec hnt1x1
                default-memory-mib = 512
                domain-type = qemu
                """);
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(c.shareRoot()).isEqualTo(Path.of("/tmp/share"));
        assertThat(c.networkCommandPrefix()).isEqualTo(List.of("ip", "netns", "exec", "hnt1x1"));
        assertThat(c.defaultMemoryMib()).isEqualTo(512);
        assertThat(c.domainType()).isEqualTo("qemu");
        assertThat(c.apparmorDir()).isEqualTo(Path.of("/etc/apparmor.d"));
    }

    @Test
    void unknownKeysAndBadValuesNameFileAndLine() {
        assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "state-dir = /x\nstate_dir = /y\n"))
                .hasMessageStartingWith("o.conf:2: state_dir: unknown key");
        assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "\ndefault-vcpus = two\n"))
                .hasMessage("o.conf:2: default-vcpus: 'two' is not a whole number");
        assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "# host\ndomain-type = xen\n"))
                .hasMessage("o.conf:2: domain-type: 'xen' must be auto, kvm or qemu");
        assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "state-dir = relative\n"))
                .hasMessage("o.conf:1: state-dir: 'relative' must be an absolute path");
        assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "qemu-user = a\nqemu-user = b\n"))
                .hasMessage("o.conf:2: qemu-user: given twice (first on line 1)");
        assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "connect\n")).hasMessage("o.conf:1: expected 'key = value'");
    }

    @Test
    void metricsAddressIsLoopbackByDefaultAndCanBeMovedOrTurnedOff() throws Exception {
        assertThat(HostConfig.defaults().metricsAddress()).isEqualTo("127.0.0.1:9848");
        assertThat(MetricsAddress.parse(HostConfig.defaults().metricsAddress())).contains(new MetricsAddress("127.0.0.1", 9848));
        assertThat(MetricsAddress.parse(HostConfigFile.parse("o.conf", "metrics-address = [::1]:9100\n").metricsAddress()))
                .contains(new MetricsAddress("::1", 9100));
        assertThat(MetricsAddress.parse(HostConfigFile.parse("o.conf", "metrics-address = none\n").metricsAddress())).isEmpty();
        assertThat(new MetricsAddress("::1", 9100)).hasToString("[::1]:9100");
        assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "# host\nmetrics-address = 9848\n"))
                .hasMessage("o.conf:2: metrics-address: '9848' must be HOST:PORT, [IPV6]:PORT or none");
        assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "metrics-address = localhost:70000\n"))
                .hasMessage("o.conf:1: metrics-address: port 70000 is outside 0..65535");
    }

    @Test
    void missingOptionalFileMeansDefaults() throws Exception {
        assertThat(HostConfigFile.load(Path.of("/nonexistent/headnode.conf"), false)).isEqualTo(HostConfig.defaults());
        assertThatThrownBy(() -> HostConfigFile.load(Path.of("/nonexistent/headnode.conf"), true)).hasMessageContaining("no such file");
    }

    @Test
    void clusterKeysParseAndWithoutThemTheHostIsAlone() throws Exception {
        assertThat(HostConfigFile.parse("o.conf", "").cluster().zookeeper()).isEmpty();
        HostConfig c = HostConfigFile.parse("o.conf", """
                cluster = zk1:2181,zk2:2181,zk3:2181
                cluster-secret-file = /etc/hn/secret
                cluster-host = hv7
                headnode-limit = 40
                cluster-session-timeout-ms = 6000
                """);
        assertThat(c.cluster().zookeeper()).contains("zk1:2181,zk2:2181,zk3:2181");
        assertThat(c.cluster().secretFile()).isEqualTo(Path.of("/etc/hn/secret"));
        assertThat(c.cluster().host()).isEqualTo("hv7");
        assertThat(c.cluster().headnodeLimit()).isEqualTo(40);
        assertThat(c.cluster().sessionTimeoutMs()).isEqualTo(6000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "# x\ncluster = zk1:2181;rm\n"))
                .hasMessageStartingWith("o.conf:2: cluster:");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostConfigFile.parse("o.conf", "cluster-host = Bad_Name\n"))
                .hasMessageStartingWith("o.conf:1: cluster-host:");
    }
}
