package io.headnode.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.TestConfigs;
import io.headnode.agent.dhcp.AddressBook;
import io.headnode.agent.dhcp.DhcpBackend;
import io.headnode.agent.dhcp.DhcpPlan;
import io.headnode.agent.install.InstallFixtures;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.HealthState;
import io.headnode.contract.MacAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DHCP step hands dhcpd the boot file per architecture and names listed MACs that asked for an unserved one. */
class DhcpStepTest {
    static final class FakeDhcp implements DhcpBackend {
        DhcpPlan plan;
        Map<MacAddress, Integer> unserved = Map.of();

        @Override
        public ApplyResult apply(DhcpPlan p) {
            plan = p;
            return new ApplyResult.Replaced(p.hosts().size(), false);
        }

        @Override
        public void ensureRunning() {
        }

        @Override
        public Health health() {
            return Health.ok("running");
        }

        @Override
        public void stop() {
        }

        @Override
        public Map<MacAddress, Integer> unservedArchitectures() {
            return unserved;
        }
    }

    @Test
    void bootFilesByArchitectureAndUnservedListedMacsInTheStatus(@TempDir Path dir) {
        FakeDhcp dhcp = new FakeDhcp();
        DhcpStep step = new DhcpStep(TestConfigs.rootedIn(dir), new AddressBook(dir.resolve("addresses.txt")), dhcp);
        assertThat(step.apply(InstallFixtures.snapshot(InstallFixtures.A, InstallFixtures.B))).isInstanceOf(StepResult.Changed.class);
        assertThat(dhcp.plan.boot()).isEqualTo(new DhcpPlan.BootChoice("pxelinux.0", "shimx64.efi", "grubx64.efi", "http://10.0.5.1/shimx64.efi"));
        assertThat(step.health().get("boot-architectures").state()).isEqualTo(HealthState.OK);

        dhcp.unserved = Map.of(InstallFixtures.A, 11, MacAddress.parse("52:54:00:00:00:77"), 2);   // the second is not listed
        Health h = step.health().get("boot-architectures");
        assertThat(h.state()).isEqualTo(HealthState.FAILED);
        assertThat(h.detail()).isEqualTo("52:54:00:00:00:0a asked for architecture 11 (ARM 64-bit UEFI): not served, no boot file");
    }
}
