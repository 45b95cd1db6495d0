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
}
