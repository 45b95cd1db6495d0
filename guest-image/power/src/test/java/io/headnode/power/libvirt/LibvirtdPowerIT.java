package io.headnode.power.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.libvirt.HypervisorException;
import io.headnode.common.libvirt.LazyHypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.contract.Machine;
import io.headnode.contract.ShareLayout;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;
import io.headnode.testing.Command;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libvirt driver against a real libvirtd in a test namespace, powering a small TCG domain (no disk, no NIC); and
 * the shared wrapper's reconnect after that libvirtd restarts.
 */
class LibvirtdPowerIT {
    @TempDir
    Path tmp;

    private static String domstate(Libvirtd libvirtd, String name) {
        return Command.run(Duration.ofSeconds(30), List.of("virsh", "-c", libvirtd.uri(), "domstate", name)).stdout().strip();
    }

    @Test
    void powersARealDomain() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (NetworkNamespace ns = NetworkNamespace.create(); Libvirtd libvirtd = Libvirtd.start(ns, tmp.resolve("lv"))) {
            Path xml = tmp.resolve("node.xml");
            Files.writeString(xml, """
                    <domain type='qemu'>
                      <name>hn-power-node</name>
                      <memory unit='MiB'>32</memory>
                      <vcpu>1</vcpu>
                      <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
                      <features><acpi/></features>
                      <devices><serial type='pty'/><graphics type='vnc' autoport='no' port='-1' listen='127.0.0.1'/></devices>
                    </domain>
                    """.replace("<graphics type='vnc' autoport='no' port='-1' listen='127.0.0.1'/>", ""));
            Command.check("virsh", "-c", libvirtd.uri(), "define", xml.toString());

            Machine m = Fixtures.machine(1, "127.0.0.1");
            ShareLayout share = Fixtures.share(tmp.resolve("share"), m.mac() + " " + m.bmc() + "\n",
                    m.mac() + " driver=libvirt uri=" + libvirtd.uri() + " domain=hn-power-node\n");
            PowerService power = Fixtures.service(share, Fixtures.fast().withCallTimeout(Duration.ofSeconds(20))
                    .withSettle(Duration.ofSeconds(20), Duration.ofMillis(100)));  // a loaded CI machine starts QEMU slowly

            assertThat(power.status(m).state()).isEqualTo(PowerState.OFF);
            assertThat(power.reset(m).kind()).as("reset of a shut-off domain").isEqualTo(Kind.REFUSED);
            assertThat(power.on(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
            assertThat(domstate(libvirtd, "hn-power-node")).isEqualTo("running");
            assertThat(power.reset(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
            assertThat(power.cycle(m)).as(() -> libvirtd.qemuLog("hn-power-node") + libvirtd.logText())
                    .extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
            assertThat(power.off(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
            assertThat(domstate(libvirtd, "hn-power-node")).isEqualTo("shut off");
        }
    }

    @Test
    void aRestartedLibvirtdIsReconnected() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path workDir = tmp.resolve("lv");
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            Libvirtd libvirtd = Libvirtd.start(ns, workDir);
            try (LazyHypervisor hypervisor = new LazyHypervisor(libvirtd.uri())) {
                hypervisor.define("""
                        <domain type='qemu'><name>hn-restart-node</name><memory unit='MiB'>32</memory>
                        <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os></domain>
                        """);
                Machine m = Fixtures.machine(2, "127.0.0.1");
                ShareLayout share = Fixtures.share(tmp.resolve("share"), m.mac() + " " + m.bmc() + "\n",
                        m.mac() + " driver=libvirt uri=" + libvirtd.uri() + " domain=hn-restart-node\n");
                PowerService power = Fixtures.service(share, Fixtures.fast());
                assertThat(power.status(m).state()).isEqualTo(PowerState.OFF);

                libvirtd.close();
                libvirtd = Libvirtd.start(ns, workDir);   // same socket, same URI

                assertThatThrownBy(() -> hypervisor.state("hn-restart-node")).as("the old connection is gone")
                        .isInstanceOfSatisfying(HypervisorException.class,
                                e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.CANNOT_CONNECT));
                assertThat(hypervisor.state("hn-restart-node")).as("the next call connects again").isEqualTo(RunState.SHUTOFF);
                PowerOutcome status = power.status(m);
                assertThat(status).as(status.detail()).extracting(PowerOutcome::kind, PowerOutcome::state)
                        .containsExactly(Kind.DONE, PowerState.OFF);
            } finally {
                libvirtd.close();
            }
        }
    }
}
