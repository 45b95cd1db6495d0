package io.headnode.orchestrator.cli;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.Vlan;
import java.io.PrintWriter;

/** What {@code headnode show} prints about ssh: the public addresses and each host key's fingerprint, as the agent reported them. */
final class SshAccessView {
    private SshAccessView() {
    }

    static void print(PrintWriter out, Vlan vlan, AgentStatus.Ssh ssh) {
        out.printf("ssh: %s%n", ssh.addresses().isEmpty() ? "no public address reported"
                : String.join(" ", ssh.addresses()) + ssh.connectAddress().map(a -> "  (headnode ssh --vlan " + vlan + " connects to " + a + ")").orElse(""));
        if (ssh.hostKeys().isEmpty()) {
            out.println("  no host keys reported yet");
        }
        for (AgentStatus.HostKey k : ssh.hostKeys()) {
            out.printf("  %-36s %s%n", k.type(), k.fingerprint());
        }
    }
}
