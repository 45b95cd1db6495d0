package io.headnode.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.contract.Vlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabNodesTest {
    private static final CommandRunner RUNNER = new ProcessCommandRunner();
    @TempDir
    Path tmp;

    @Test
    void rendersAValidNetworkFirstDomain() throws Exception {
        LabSettings s = new LabSettings(Path.of("/var/lib/headnode-lab"), "hnlab", new Vlan(100), 1, Path.of("/cache"));
        String xml = new LabNodes(s, RUNNER).render(1, "br-vlan100");
        assertThat(xml).contains("<domain type='qemu'>").contains("<name>hnlab-node1</name>")
                .contains("<mac address='52:54:00:4c:64:01'/>").contains("<source bridge='br-vlan100'/>")
                .contains("<bios useserial='yes'/>").contains("<log file='/var/lib/headnode-lab/nodes/node1.console.log' append='on'/>");
        assertThat(xml.indexOf("<boot dev='network'/>")).isLessThan(xml.indexOf("<boot dev='hd'/>")).isPositive();
        assertThat(new LabNodes(s, RUNNER).render(1, "br-vlan100")).as("stable uuid").isEqualTo(xml);
        Path f = tmp.resolve("node1.xml");
        Files.writeString(f, xml);
        CommandResult v = RUNNER.run(List.of("virt-xml-validate", f.toString(), "domain"), Duration.ofSeconds(30));
        assertThat(v.exitCode()).as(v.stdout() + v.stderr()).isZero();
    }

    @Test
    void mixedFirmwareGivesBiosUefiSecureBootAndHttpBootDomainsThatValidate() throws Exception {
        LabSettings s = new LabSettings(Path.of("/var/lib/headnode-lab"), "hnlab", new Vlan(100), 4, Path.of("/cache"), LabFirmware.MIXED);
        assertThat(List.of(s.nodeFirmware(1), s.nodeFirmware(2), s.nodeFirmware(3), s.nodeFirmware(4)))
                .containsExactly(LabFirmware.BIOS, LabFirmware.UEFI, LabFirmware.SECUREBOOT, LabFirmware.HTTPBOOT);
        LabNodes nodes = new LabNodes(s, RUNNER);
        String bios = nodes.render(1, "br-vlan100");
        String uefi = nodes.render(2, "br-vlan100");
        String sb = nodes.render(3, "br-vlan100");
        String http = nodes.render(4, "br-vlan100");
        assertThat(bios).contains("machine='pc'", "<bios useserial='yes'/>").doesNotContain("OVMF", "<smm");
        assertThat(uefi).contains("machine='q35'", "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>",
                "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/headnode-lab/nodes/node2_VARS.fd</nvram>",
                "<rom enabled='no'/>", "<memory unit='MiB'>512</memory>").doesNotContain("secure='yes'", "<smm", "<boot dev=");
        assertThat(sb).contains("<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.secboot.fd</loader>",
                "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>/var/lib/headnode-lab/nodes/node3_VARS.fd</nvram>",
                "<smm state='on'/>");
        assertThat(sb).doesNotContain("sysinfo", "IPv4PXESupport");
        // HTTP boot: the Secure Boot firmware with OVMF's PXE boot options switched off through fw_cfg
        assertThat(http).contains("<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.secboot.fd</loader>",
                "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>/var/lib/headnode-lab/nodes/node4_VARS.fd</nvram>", "<smm state='on'/>",
                "<sysinfo type='fwcfg'>\n    <entry name='opt/org.tianocore/IPv4PXESupport'>n</entry>\n"
                        + "    <entry name='opt/org.tianocore/IPv6PXESupport'>n</entry>\n  </sysinfo>\n", "<rom enabled='no'/>");
        assertThat(http.indexOf("<sysinfo")).isGreaterThan(http.indexOf("</os>"));
        assertThat(sb.indexOf("<boot order='1'/>")).as("network first").isGreaterThan(sb.indexOf("<interface"));
        assertThat(sb.indexOf("<boot order='2'/>")).as("then the disk").isLessThan(sb.indexOf("<interface")).isPositive();
        for (String xml : List.of(uefi, sb, http)) {
            Path f = tmp.resolve("node.xml");
            Files.writeString(f, xml);
            CommandResult v = RUNNER.run(List.of("virt-xml-validate", f.toString(), "domain"), Duration.ofSeconds(30));
            assertThat(v.exitCode()).as(v.stdout() + v.stderr()).isZero();
        }
        assertThat(LabFirmware.of("secureboot")).isEqualTo(LabFirmware.SECUREBOOT);
        assertThat(LabFirmware.of("httpboot")).isEqualTo(LabFirmware.HTTPBOOT);
        assertThat(LabFirmware.HTTPBOOT.uefi()).isTrue();
        assertThat(List.of(LabFirmware.MIXED.forNode(5), LabFirmware.MIXED.forNode(8))).containsExactly(LabFirmware.BIOS, LabFirmware.HTTPBOOT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabFirmware.of("arm"))
                .hasMessageContaining("bios, uefi, secureboot, httpboot, mixed");
    }
}
