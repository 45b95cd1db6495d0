package io.headnode.orchestrator.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.SshPublicKey;
import io.headnode.contract.Vlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshInvocationTest {
    static String pub(String name) {
        return io.headnode.orchestrator.TestSshKeys.pub(name);
    }

    static AgentStatus.HostKey hostKey(String name) throws IOException {
        return AgentStatus.HostKey.of(SshPublicKey.parseLine(pub(name)));
    }

    @Test
    void trustsExactlyTheReportedHostKeysUnderTheHeadNodesAliasWithTheChecksFirst() throws Exception {
        AgentStatus.Ssh access = new AgentStatus.Ssh(List.of("fe80::1", "192.0.2.10", "2001:db8::10"), List.of(hostKey("ed25519"), hostKey("ecdsa")));
        SshInvocation ssh = SshInvocation.of(List.of("ip", "netns", "exec", "hnlab"), new Vlan(100), access, "root",
                Optional.of(Path.of("/root/.ssh/id_admin")), List.of("BatchMode=yes", "StrictHostKeyChecking=no"), List.of("hostname", "-f"));
        String[] ed = pub("ed25519").split(" ");
        assertThat(ssh.knownHosts()).isEqualTo("headnode-vlan100 " + ed[0] + " " + ed[1] + "\n"
                + "headnode-vlan100 " + pub("ecdsa").split(" ")[0] + " " + pub("ecdsa").split(" ")[1] + "\n");
        assertThat(ssh.argv(Path.of("/tmp/kh"))).containsExactly("ip", "netns", "exec", "hnlab", "ssh",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=/tmp/kh", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "HostKeyAlias=headnode-vlan100", "-o", "UpdateHostKeys=no", "-o", "CheckHostIP=no", "-o", "ConnectTimeout=15",
                "-i", "/root/.ssh/id_admin", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-l", "root", "--", "192.0.2.10", "hostname", "-f");
    }

    @Test
    void withoutHostKeysOrARoutableAddressThereIsNoSsh() throws Exception {
        assertThatThrownBy(() -> SshInvocation.of(List.of(), new Vlan(7), new AgentStatus.Ssh(List.of("192.0.2.1"), List.of()), "root",
                Optional.empty(), List.of(), List.of())).isInstanceOf(IllegalStateException.class).hasMessageContaining("no ssh host keys yet");
        AgentStatus.Ssh linkLocal = new AgentStatus.Ssh(List.of("fe80::1"), List.of(hostKey("ed25519")));
        assertThatThrownBy(() -> SshInvocation.of(List.of(), new Vlan(7), linkLocal, "root", Optional.empty(), List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no routable public address (only [fe80::1])");
    }

    @Test
    void userAndOptionsAreChecked() throws Exception {
        AgentStatus.Ssh access = new AgentStatus.Ssh(List.of("192.0.2.10"), List.of(hostKey("ed25519")));
        assertThatThrownBy(() -> SshInvocation.of(List.of(), new Vlan(7), access, "-oProxyCommand=x", Optional.empty(), List.of(), List.of()))
                .hasMessageContaining("is not a user name");
        assertThatThrownBy(() -> SshInvocation.of(List.of(), new Vlan(7), access, "root", Optional.empty(), List.of("-v"), List.of()))
                .hasMessageContaining("is not Name=value");
    }
}
