package io.headnode.agent.net;

import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.HealthState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.FakeRunner;
import io.headnode.agent.TestConfigs;
import io.headnode.agent.exec.CommandRunner;
import io.headnode.contract.HeadnodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirewallAndNetworkTest {
    @Test
    void rulesetReplacesOneInetTableAndDropsAllButSshOnThePublicInterface(@TempDir Path dir) {
        AgentConfig c = TestConfigs.rootedIn(dir, "public-interface", "pub0");
        FakeRunner runner = new FakeRunner();
        Firewall f = new Firewall(c, runner);
        assertThat(f.apply()).isTrue();
        String rules = new String(runner.inputs.get(0), StandardCharsets.UTF_8);
        assertThat(rules).startsWith("table inet headnode\ndelete table inet headnode\n");
        assertThat(rules).contains("iifname \"pub0\" ct state established,related accept", "iifname \"pub0\" tcp dport 22 accept",
                "iifname \"pub0\" counter drop", "hook input");
        assertThat(runner.commands.get(0)).containsExactly("/usr/sbin/nft", "-f", "-");
        assertThat(f.health()).isEqualTo(Health.ok("in force"));
        runner.answer = argv -> new CommandRunner.Result(1, "", "Error: syntax");
        assertThat(f.apply()).isFalse();
        assertThat(f.health().state()).isEqualTo(HealthState.FAILED);
        assertThat(f.health().detail()).contains("Error: syntax");
    }

    @Test
    void addressesAreAddedOnlyWhenMissingAndStrayOnesRemoved(@TempDir Path dir) throws Exception {
        AgentConfig c = TestConfigs.rootedIn(dir, "private-interface", "veth0");
        HeadnodeConfig hc = HeadnodeConfig.parse("headnode.conf",
                "vlan = 5\nprivate-address = 10.0.5.1/24\nbmc-address = 10.1.0.254/16\n".getBytes(StandardCharsets.UTF_8));
        FakeRunner runner = new FakeRunner();
        String[] present = {""};
        runner.answer = argv -> argv.contains("-4") ? new CommandRunner.Result(0, present[0], "")
                : argv.contains("link") && argv.contains("show") ? new CommandRunner.Result(0, "5: veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500", "")
                : new CommandRunner.Result(0, "", "");
        NetworkSetup n = new NetworkSetup(c, runner);
        assertThat(n.apply(hc)).containsExactly("+10.0.5.1/24", "+10.1.0.254/16");
        assertThat(runner.joined()).contains("/usr/sbin/ip addr add 10.0.5.1/24 dev veth0", "/usr/sbin/ip addr add 10.1.0.254/16 dev veth0 label veth0:1");
        runner.commands.clear();
        present[0] = "5: veth0    inet 10.0.5.1/24 scope global veth0\n5: veth0    inet 10.1.0.254/16 scope global veth0:1\n"
                + "5: veth0    inet 192.168.9.9/24 scope global veth0\n";
        assertThat(n.apply(hc)).containsExactly("-192.168.9.9/24");
        assertThat(runner.joined()).noneMatch(cmd -> cmd.contains("addr add"));
        runner.answer = argv -> new CommandRunner.Result(1, "", "Device \"veth0\" does not exist.");
        assertThatThrownBy(() -> n.apply(hc)).hasMessageContaining("veth0");
    }
}
