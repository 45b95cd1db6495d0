package io.headnode.power.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.libvirt.LibvirtHypervisor;
import io.headnode.contract.Machine;
import io.headnode.contract.ShareLayout;
import io.headnode.power.BootDevice;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libvirt driver against libvirt's in-process test driver (test:///default and its running domain "test"). */
class LibvirtDriverIT {
    @TempDir
    Path dir;

    private PowerService service(Machine m, String domain) {
        ShareLayout share = Fixtures.share(dir, m.mac() + " " + m.bmc() + "\n",
                m.mac() + " driver=libvirt uri=test:///default domain=" + domain + "\n");
        return Fixtures.service(share, Fixtures.fast());
    }

    private static String xml(String domain) {
        try (LibvirtHypervisor libvirt = LibvirtHypervisor.connect("test:///default")) {
            return libvirt.lookup(domain).orElseThrow().inactiveXml();
        }
    }

    @Test
    void powerLifecycleOnTheTestDriver() throws Exception {
        Machine m = Fixtures.machine(1, "127.0.0.1");
        PowerService power = service(m, "test");
        assertThat(power.status(m).state()).isEqualTo(PowerState.ON);
        assertThat(power.on(m).kind()).isEqualTo(Kind.ALREADY);
        assertThat(power.reset(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(power.cycle(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(power.off(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
        assertThat(power.status(m).state()).isEqualTo(PowerState.OFF);
        assertThat(power.cycle(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);

        assertThat(power.bootDevice(m, BootDevice.PXE, false).kind()).isEqualTo(Kind.DONE);
        assertThat(xml("test")).contains("<boot dev='network'/>").doesNotContain("<boot dev='hd'/>");
        assertThat(power.bootDevice(m, BootDevice.DISK, false).kind()).isEqualTo(Kind.DONE);
        assertThat(xml("test")).contains("<boot dev='hd'/>").doesNotContain("<boot dev='network'/>");
        PowerOutcome once = power.bootDevice(m, BootDevice.PXE, true);
        assertThat(once.kind()).isEqualTo(Kind.REFUSED);
        assertThat(once.detail()).contains("no one-time boot override");
    }

    @Test
    void missingDomainIsClassifiedByErrorCode() {
        Machine m = Fixtures.machine(2, "127.0.0.1");
        PowerOutcome o = service(m, "no-such-node").status(m);
        assertThat(o.kind()).isEqualTo(Kind.REFUSED);
        assertThat(o.detail()).contains("VIR_ERR_NO_DOMAIN");
    }

    @Test
    void unreachableLibvirtd() {
        Machine m = Fixtures.machine(3, "127.0.0.1");
        ShareLayout share = Fixtures.share(dir, m.mac() + " " + m.bmc() + "\n",
                m.mac() + " driver=libvirt uri=qemu:///system?socket=" + dir.resolve("no-such-socket") + " domain=x\n");
        PowerOutcome o = Fixtures.service(share, Fixtures.fast()).status(m);
        assertThat(o.kind()).isEqualTo(Kind.UNREACHABLE);
    }
}
