package io.headnode.storm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small boot storm in CI: 100 simulated nodes, each with its own MAC (a macvlan) and fixed address, boot at once
 * through the agent jar with real dhcpd and in.tftpd: DHCP with option 93, TFTP boot file and per-MAC config, HTTP
 * kernel (1 MiB) and initrd (4 MiB), kickstart and callback. Then nginx alone serves the same bytes to the same
 * nodes. The full 1,000-node benchmark with real-sized media is tests/storm/run-storm.sh.
 */
class StormIT {
    static final int NODES = 100;

    @Test
    void hundredNodesBootAtOnceWithNoErrorAndEndInstalledWithTheirConfigsGone() throws Exception {
        Path jar = Path.of(System.getProperty("headnode.agent.jar", "../../guest-image/agent/target/headnode-agent.jar"));
        Path launcher = Path.of("../../bin/headnode-agent").toAbsolutePath().normalize();
        try (StormLab lab = StormLab.create(new StormLab.Config(NODES, 1 << 20, 4 << 20, jar, launcher))) {
            lab.requestInstallAll();
            Map<String, Object> full = lab.storm(StormRun.Mode.FULL, 80, Duration.ofSeconds(60));
            assertThat(full.get("errorSamples")).as(lab.agentLog()).asList().isEmpty();
            assertThat(full).containsEntry("errors", 0).containsEntry("ok", NODES);
            assertThat(((Number) full.get("httpBytes")).longValue()).isEqualTo(NODES * (long) (5 << 20));
            assertThat(lab.awaitAllInstalled(Duration.ofSeconds(20)))
                    .as("installed %d, per-MAC configs %d", lab.installedCount(), lab.perMacConfigs()).isTrue();

            Map<String, Object> nginx = lab.storm(StormRun.Mode.BULK, StormLab.NGINX_PORT, Duration.ofSeconds(60),
                    "--kernel", "/centos/vmlinuz", "--initrd", "/centos/initrd.img");
            assertThat(nginx).containsEntry("errors", 0).containsEntry("ok", NODES);
            assertThat(lab.agentAlive()).isTrue();
        }
    }
}
