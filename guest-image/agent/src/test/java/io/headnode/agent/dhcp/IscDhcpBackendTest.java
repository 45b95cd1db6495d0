package io.headnode.agent.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.FakeRunner;
import io.headnode.agent.TestConfigs;
import io.headnode.agent.render.Templates;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.contract.Ipv4Cidr;
import io.headnode.contract.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IscDhcpBackendTest {
    static DhcpPlan plan(String... macs) {
        List<DhcpHost> hosts = new java.util.ArrayList<>();
        for (int i = 0; i < macs.length; i++) {
            hosts.add(new DhcpHost(MacAddress.parse(macs[i]), "10.0.5." + (i + 2)));
        }
        return new DhcpPlan("eth0", Ipv4Cidr.parse("10.0.5.1/24"), DhcpPlan.BootChoice.served("10.0.5.1", 80), hosts);
    }

    @Test
    void rendersSubnetNextServerBootFileAndOneHostPerMacAndRefusesUnknownClients(@TempDir Path dir) {
        IscDhcpBackend b = new IscDhcpBackend(TestConfigs.rootedIn(dir), new FakeRunner(), new Templates(null), Clock.systemUTC());
        String conf = b.render(plan("52:54:00:00:00:0a", "52:54:00:00:00:0b"));
        assertThat(conf).contains("subnet 10.0.5.0 netmask 255.255.255.0 {", "next-server 10.0.5.1;",
                "option broadcast-address 10.0.5.255;", "deny unknown-clients;", "option ipxe.no-pxedhcp 1;", "boot-unknown-clients false;",
                "host node-52540000000a { hardware ethernet 52:54:00:00:00:0a; fixed-address 10.0.5.2; }",
                "host node-52540000000b { hardware ethernet 52:54:00:00:00:0b; fixed-address 10.0.5.3; }");
        assertThat(conf).doesNotContainPattern("(?m)^\\s*range\\s");
    }

    @Test
    void realDhcpdAcceptsTheRenderedConfigAndUnchangedPlanWritesNothing(@TempDir Path dir) throws Exception {
        AgentConfig c = TestConfigs.rootedIn(dir);
        IscDhcpBackend b = new IscDhcpBackend(c, new ProcessCommandRunner(), new Templates(null), Clock.systemUTC());
        DhcpBackend.ApplyResult first = b.apply(plan("52:54:00:00:00:0a"));
        assertThat(first).as(first.toString()).isEqualTo(new DhcpBackend.ApplyResult.Replaced(1, false));
        long mtime = Files.getLastModifiedTime(b.confFile()).toMillis();
        assertThat(b.apply(plan("52:54:00:00:00:0a"))).isEqualTo(new DhcpBackend.ApplyResult.Unchanged());
        assertThat(Files.getLastModifiedTime(b.confFile()).toMillis()).isEqualTo(mtime);
        assertThat(b.apply(plan("52:54:00:00:00:0a", "52:54:00:00:00:0b"))).isEqualTo(new DhcpBackend.ApplyResult.Replaced(2, false));
        assertThat(b.health()).isEqualTo(io.headnode.contract.AgentStatus.Health.unmanaged());
    }

    @Test
    void aConfigDhcpdRejectsOrCannotCheckIsNotSwappedIn(@TempDir Path dir) throws Exception {
        AgentConfig c = TestConfigs.rootedIn(dir);
        FakeRunner runner = new FakeRunner();
        IscDhcpBackend b = new IscDhcpBackend(c, runner, new Templates(null), Clock.systemUTC());
        assertThat(b.apply(plan("52:54:00:00:00:0a"))).isInstanceOf(DhcpBackend.ApplyResult.Replaced.class);
        byte[] good = Files.readAllBytes(b.confFile());
        runner.answer = argv -> new CommandResult(argv, 1, "", "line 3: syntax error");
        DhcpBackend.ApplyResult bad = b.apply(plan("52:54:00:00:00:0b"));
        assertThat(bad).isInstanceOfSatisfying(DhcpBackend.ApplyResult.Refused.class,
                r -> assertThat(r.reason()).contains("dhcpd -t rejected", "syntax error"));
        assertThat(Files.readAllBytes(b.confFile())).isEqualTo(good);
        assertThat(runner.joined()).allMatch(cmd -> cmd.contains(" -t ") && cmd.contains("-cf"));
        try (var s = Files.list(b.confFile().getParent())) {
            assertThat(s).containsExactly(b.confFile());
        }

        runner.answer = argv -> {
            throw new CommandException(CommandException.Kind.TIMED_OUT, "dhcpd -t timed out after 20 s", null);
        };
        DhcpBackend.ApplyResult unchecked = b.apply(plan("52:54:00:00:00:0c"));
        assertThat(unchecked).isEqualTo(new DhcpBackend.ApplyResult.Refused("cannot check the rendered configuration: dhcpd -t timed out after 20 s"));
        assertThat(Files.readAllBytes(b.confFile())).isEqualTo(good);
    }

    @Test
    void bootFileByArchitectureAndTheRealDhcpdAcceptsIt(@TempDir Path dir) throws Exception {
        AgentConfig c = TestConfigs.rootedIn(dir, "http-port", "8080");
        IscDhcpBackend b = new IscDhcpBackend(c, new ProcessCommandRunner(), new Templates(null), Clock.systemUTC());
        DhcpPlan p = new DhcpPlan("eth0", Ipv4Cidr.parse("10.0.5.1/24"), DhcpPlan.BootChoice.served("10.0.5.1", c.httpPort()),
                List.of(new DhcpHost(MacAddress.parse("52:54:00:00:00:0a"), "10.0.5.2")));
        String conf = b.render(p).replaceAll("(?m)^\\s*#.*\n", "").replaceAll("\\s+", " ");
        assertThat(conf).contains("option arch code 93 = unsigned integer 16;",
                "if option arch = 00:00 { filename \"pxelinux.0\"; }",
                "elsif option arch = 00:07 or option arch = 00:09 { if exists user-class and option user-class = \"iPXE\" {"
                        + " filename \"grubx64.efi\"; } else { filename \"shimx64.efi\"; } }",
                "elsif option arch = 00:10 { option vendor-class-identifier \"HTTPClient\"; filename \"http://10.0.5.1:8080/shimx64.efi\"; }",
                "elsif exists arch { log (info, concat(\"headnode: unserved-arch mac=\"",
                "} else { filename \"pxelinux.0\"; } }");
        // the arch branches come before anything else picks a file, and no branch looks at the user-class first
        assertThat(conf.indexOf("option user-class")).isGreaterThan(conf.indexOf("option arch = 00:07"));
        assertThat(b.apply(p)).as("dhcpd -t accepted it").isEqualTo(new DhcpBackend.ApplyResult.Replaced(1, false));
        assertThat(DhcpPlan.BootChoice.served("10.0.5.1", 80).httpBootUrl()).isEqualTo("http://10.0.5.1/shimx64.efi");
    }

    @Test
    void theUnservedArchitecturesComeFromDhcpdsLog(@TempDir Path dir) throws Exception {
        AgentConfig c = TestConfigs.rootedIn(dir);
        IscDhcpBackend b = new IscDhcpBackend(c, new FakeRunner(), new Templates(null), Clock.systemUTC());
        Files.createDirectories(c.runDir());
        Files.writeString(c.runDir().resolve("dhcpd.log"), "headnode: unserved-arch mac=52:54:0:0:0:a arch=11\n");
        assertThat(b.unservedArchitectures()).containsExactly(java.util.Map.entry(MacAddress.parse("52:54:00:00:00:0a"), 11));
    }
}
