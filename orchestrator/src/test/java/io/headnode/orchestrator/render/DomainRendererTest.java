package io.headnode.orchestrator.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.domain.DomainShape;
import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class DomainRendererTest {
    @TempDir
    Path tmp;

    public static HostConfig config(Path root) {
        return new HostConfig(root.resolve("state"), root.resolve("share"), root.resolve("aa"), Path.of("/usr/sbin/apparmor_parser"),
                "test:///default", "br-vlan", "br0", List.of(), "libvirt-qemu", "qemu", root.resolve("img.qcow2"), 1024, 1);
    }

    static HeadnodeSpec spec(int vlan, Optional<Path> kernel) {
        Vlan v = new Vlan(vlan);
        return new HeadnodeSpec(v, true, false, Optional.empty(), "br0", 512, 2, Path.of("/img/headnode.qcow2"), kernel,
                kernel.map(k -> k.resolveSibling("initrd.img")), Optional.empty(), HeadnodeSpec.uuidFor(v),
                HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v));
    }

    DomainRenderer renderer(Path root) {
        HostConfig c = config(root);
        return new DomainRenderer(new HeadnodePaths(c), new DomainTypeProbe(c));
    }

    @Test
    void rendersTheSeedsVirtualMachineSetup() {
        String xml = renderer(tmp).render(spec(100, Optional.empty()));
        DomainShape s = DomainXml.parse(xml);
        assertThat(s.type()).isEqualTo("qemu");
        assertThat(s.name()).isEqualTo("headnode-vlan100");
        assertThat(s.uuid()).isEqualTo(HeadnodeSpec.uuidFor(new Vlan(100)).toString());
        assertThat(s.memoryKib()).isEqualTo(512 * 1024);
        assertThat(s.vcpus()).isEqualTo(2);
        assertThat(s.nics()).containsExactly(
                new DomainShape.Nic("02:48:4e:00:00:64", "br-vlan100", "virtio", "00:03.0", false),
                new DomainShape.Nic("02:48:4e:01:00:64", "br0", "virtio", "00:04.0", false));
        assertThat(s.shares()).containsExactly(new DomainShape.Share(tmp.resolve("share/100").toString(), "/etc/moc", "mapped", true),
                new DomainShape.Share(tmp.resolve("headnode-images").toString(), "headnode-images", "mapped", true));
        assertThat(s.disks()).containsExactly(new DomainShape.Disk("vda", tmp.resolve("state/disks/headnode-vlan100.qcow2").toString(), "qcow2"));
        assertThat(s.acpi()).isTrue();
        assertThat(s.biosUseSerial()).isTrue();
        assertThat(s.consoleLog()).contains(tmp.resolve("state/console/headnode-vlan100.log").toString());
        assertThat(s.channels()).containsExactly(new DomainShape.Channel(tmp.resolve("state/run/vlan100.status").toString(), "io.headnode.status"));
        assertThat(s.kernel()).isEmpty();
        assertThat(xml).contains("<boot dev='hd'/>");
    }

    @Test
    void directKernelBootReplacesTheBootDevice() {
        DomainShape s = DomainXml.parse(renderer(tmp).render(spec(7, Optional.of(Path.of("/img/vmlinuz")))));
        assertThat(s.kernel()).contains("/img/vmlinuz");
        assertThat(s.initrd()).contains("/img/initrd.img");
        assertThat(s.cmdline()).contains(HeadnodeSpec.DEFAULT_CMDLINE);
    }

    @Test
    void renderedXmlPassesVirtXmlValidate() throws Exception {
        for (HeadnodeSpec spec : List.of(spec(100, Optional.empty()), spec(4094, Optional.of(Path.of("/img/vmlinuz"))))) {
            Path f = tmp.resolve("d" + spec.vlan() + ".xml");
            Files.writeString(f, renderer(tmp).render(spec));
            CommandResult r = Command.run(Duration.ofSeconds(30), List.of("virt-xml-validate", f.toString(), "domain"));
            assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
            assertThat(r.stdout() + r.stderr()).contains("validates");
        }
    }

    @Test
    void valuesAreXmlEscaped() throws Exception {
        Path odd = tmp.resolve("a&b'c<d");
        Files.createDirectories(odd);
        String xml = renderer(odd).render(spec(5, Optional.empty()));
        assertThat(DomainXml.parse(xml).shares().get(0).source()).isEqualTo(odd.resolve("share/5").toString());
        Path f = tmp.resolve("odd.xml");
        Files.writeString(f, xml);
        assertThat(Command.run(Duration.ofSeconds(30), List.of("virt-xml-validate", f.toString(), "domain")).exitCode()).isZero();
    }

    @Test
    void autoPicksTcgWithoutHardwareVirtualization() throws Exception {
        Path cpuinfo = tmp.resolve("cpuinfo");
        Path kvm = tmp.resolve("kvm");
        Files.writeString(kvm, "");
        Files.writeString(cpuinfo, "processor : 0\nflags : fpu vme de pse hypervisor\n");
        assertThat(new DomainTypeProbe("auto", kvm, cpuinfo).domainType()).isEqualTo("qemu");
        Files.writeString(cpuinfo, "processor : 0\nflags : fpu vme vmx pse\n");
        assertThat(new DomainTypeProbe("auto", kvm, cpuinfo).domainType()).isEqualTo("kvm");
        assertThat(new DomainTypeProbe("auto", tmp.resolve("nokvm"), cpuinfo).domainType()).isEqualTo("qemu");
        assertThat(new DomainTypeProbe("qemu", kvm, cpuinfo).domainType()).isEqualTo("qemu");
    }
}
