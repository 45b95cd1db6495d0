package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Vlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShowCommandTest {
    @Test
    void theAgentsStatusShowsReadinessTheServicesThatAreNotHealthyAndTheMachines() {
        Map<String, Health> services = new LinkedHashMap<>();
        services.put("dhcpd", Health.failed("dhcpd -t rejected the rendered configuration"));
        services.put("tftpd", Health.ok("running"));
        AgentStatus a = new AgentStatus(false, AgentStatus.Share.invalid("machines.txt:3: mac: bad"), new Vlan(100),
                List.of(new MachineStatus(MacAddress.parse("52:54:00:aa:00:01"), MachineState.INSTALLING, "10.100.0.2", null, "installer booted (attempt 1)")),
                0, services, Instant.parse("2026-11-25T01:37:02Z"));
        StringWriter w = new StringWriter();
        ShowCommand.printAgent(new PrintWriter(w, true), a);
        assertThat(w.toString()).startsWith("agent: not ready, share invalid: machines.txt:3: mac: bad, updated 2026-11-25T01:37:02Z\n")
                .contains("dhcpd          failed    dhcpd -t rejected")
                .doesNotContain("tftpd")
                .contains("52:54:00:aa:00:01  10.100.0.2      installing installer booted (attempt 1)");
    }

    @Test
    void sshAccessShowsTheAddressesAndEachHostKeysFingerprint() throws Exception {
        AgentStatus.HostKey ed = AgentStatus.HostKey.of(io.headnode.contract.SshPublicKey.parseLine(
                io.headnode.orchestrator.TestSshKeys.pub("ed25519")));
        StringWriter w = new StringWriter();
        SshAccessView.print(new PrintWriter(w, true), new Vlan(100), new AgentStatus.Ssh(List.of("192.0.2.10", "fe80::1"), List.of(ed)));
        assertThat(w.toString()).isEqualTo("ssh: 192.0.2.10 fe80::1  (headnode ssh --vlan 100 connects to 192.0.2.10)\n"
                + "  ssh-ed25519                          SHA256:nn39BVXv0FZW+DjfcRnVgYkmyN46QJkuzVMUuhK8+rE\n");
        StringWriter none = new StringWriter();
        SshAccessView.print(new PrintWriter(none, true), new Vlan(100), AgentStatus.Ssh.NONE);
        assertThat(none.toString()).isEqualTo("ssh: no public address reported\n  no host keys reported yet\n");
    }
}
