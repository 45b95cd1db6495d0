package io.headnode.agent.net;

import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.HealthState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.FakeRunner;
import io.headnode.agent.TestConfigs;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
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
        String rules = runner.inputs.get(0);
        assertThat(rules).startsWith("table inet headnode\ndelete table inet headnode\n");
        assertThat(rules).contains("iifname \"pub0\" ct state established,related accept", "iifname \"pub0\" tcp dport 22 accept",
                "iifname \"pub0\" counter drop", "hook input");
        // counting rules for /metrics, on the private interface: they count, and accept or drop nothing
        assertThat(rules).contains("iifname \"eth0\" udp dport 67 counter comment \"dhcp\"\n",
                "iifname \"eth0\" udp dport 69 counter comment \"tftp\"\n");
        assertThat(runner.commands.get(0)).containsExactly("/usr/sbin/nft", "-f", "-");
        assertThat(f.health()).isEqualTo(Health.ok("in force"));
        runner.answer = argv -> new CommandResult(argv, 1, "", "Error: syntax");
        assertThat(f.apply()).isFalse();
        assertThat(f.health().state()).isEqualTo(HealthState.FAILED);
        assertThat(f.health().detail()).contains("Error: syntax");
    }

    /** {@code ip -json addr show} as iproute2 6.1 prints it, for lo and veth0 (state and addresses given). */
    static String addrShow(boolean up, String... veth0Addresses) {
        StringBuilder info = new StringBuilder();
        for (String a : veth0Addresses) {
            String[] f = a.split(" ");   // cidr [label]
            String[] cidr = f[0].split("/");
            boolean v6 = cidr[0].contains(":");
            info.append(info.length() == 0 ? "" : ",").append("{\"family\":\"").append(v6 ? "inet6" : "inet").append("\",\"local\":\"")
                    .append(cidr[0]).append("\",\"prefixlen\":").append(cidr[1]).append(",\"scope\":\"").append(f.length > 2 ? f[2] : "global")
                    .append("\"").append(v6 ? "" : ",\"label\":\"" + f[1] + "\"").append(",\"valid_life_time\":4294967295,\"preferred_life_time\":4294967295}");
        }
        return "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\"LOWER_UP\"],\"mtu\":65536,\"addr_info\":["
                + "{\"family\":\"inet\",\"local\":\"127.0.0.1\",\"prefixlen\":8,\"scope\":\"host\",\"label\":\"lo\"}]},"
                + "{\"ifindex\":5,\"ifname\":\"veth0\",\"flags\":[\"BROADCAST\",\"MULTICAST\"" + (up ? ",\"UP\",\"LOWER_UP\"" : "")
                + "],\"mtu\":1500,\"operstate\":\"UP\",\"addr_info\":[" + info + "]}]";
    }

    @Test
    void anNftThatTimesOutLeavesTheFirewallFailedAndIsRetriedByEnsure(@TempDir Path dir) {
        FakeRunner runner = new FakeRunner();
        runner.answer = argv -> {
            throw new CommandException(CommandException.Kind.TIMED_OUT, "/usr/sbin/nft timed out after 15 s", null);
        };
        Firewall f = new Firewall(TestConfigs.rootedIn(dir), runner);
        assertThat(f.apply()).isFalse();
        assertThat(f.health()).isEqualTo(Health.failed("nft -f: /usr/sbin/nft timed out after 15 s"));
        runner.answer = argv -> new CommandResult(argv, 0, "", "");
        runner.commands.clear();
        f.ensure();
        assertThat(runner.joined()).containsExactly("/usr/sbin/nft list table inet headnode", "/usr/sbin/nft -f -");
        assertThat(f.health()).isEqualTo(Health.ok("in force"));
    }

    @Test
    void addressesAreAddedOnlyWhenMissingAndStrayOnesRemoved(@TempDir Path dir) throws Exception {
        AgentConfig c = TestConfigs.rootedIn(dir, "private-interface", "veth0");
        HeadnodeConfig hc = HeadnodeConfig.parse("headnode.conf",
                "vlan = 5\nprivate-address = 10.0.5.1/24\nbmc-address = 10.1.0.254/16\n".getBytes(StandardCharsets.UTF_8));
        FakeRunner runner = new FakeRunner();
        String[] present = {addrShow(false)};
        runner.answer = argv -> argv.contains("-json") ? new CommandResult(argv, 0, present[0], "") : new CommandResult(argv, 0, "", "");
        NetworkSetup n = new NetworkSetup(c, runner);
        assertThat(n.apply(hc)).containsExactly("link up", "+10.0.5.1/24", "+10.1.0.254/16");
        assertThat(runner.joined()).containsExactly("/usr/sbin/ip -json addr show", "/usr/sbin/ip link set dev veth0 up",
                "/usr/sbin/ip addr add 10.0.5.1/24 dev veth0", "/usr/sbin/ip addr add 10.1.0.254/16 dev veth0 label veth0:1");
        runner.commands.clear();
        present[0] = addrShow(true, "10.0.5.1/24 veth0", "10.1.0.254/16 veth0:1", "192.168.9.9/24 veth0", "169.254.1.1/16 veth0 link",
                "fd00::1/64");
        assertThat(n.apply(hc)).as("link-scope and IPv6 addresses are left alone").containsExactly("-192.168.9.9/24");
        assertThat(runner.joined()).containsExactly("/usr/sbin/ip -json addr show", "/usr/sbin/ip addr del 192.168.9.9/24 dev veth0");
        runner.commands.clear();
        present[0] = addrShow(true, "10.0.5.1/24 veth0", "10.1.0.254/16 veth0:1");
        assertThat(n.apply(hc)).as("converged: read only").isEmpty();
        assertThat(runner.commands).hasSize(1);
        present[0] = "[]";
        assertThatThrownBy(() -> n.apply(hc)).hasMessage("interface veth0 is not there");
        present[0] = addrShow(false);
        runner.answer = argv -> argv.contains("-json") ? new CommandResult(argv, 0, present[0], "")
                : new CommandResult(argv, 2, "", "RTNETLINK answers: Operation not permitted");
        assertThatThrownBy(() -> n.apply(hc)).hasMessage("/usr/sbin/ip link set dev veth0 up exited 2: RTNETLINK answers: Operation not permitted");
    }
}
