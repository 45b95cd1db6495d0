package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headnode.agent.dhcp.AddressBook;
import io.headnode.agent.dhcp.IscDhcpBackend;
import io.headnode.agent.install.InstallManager;
import io.headnode.agent.install.InstallStore;
import io.headnode.agent.install.RequestSpool;
import io.headnode.agent.net.Firewall;
import io.headnode.agent.net.NetworkSetup;
import io.headnode.agent.net.ServiceDaemons;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareMounter;
import io.headnode.agent.share.ShareReader;
import io.headnode.agent.status.StatusPublisher;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.agent.tftp.TftpTree;
import io.headnode.common.exec.CommandResult;
import io.headnode.contract.ShareLayout;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile loop with real parts rooted in a temp dir, daemons not run, dhcpd -t faked, HTTP on loopback. */
class AgentTest {
    @TempDir
    Path dir;
    Agent agent;
    FakeRunner runner = new FakeRunner();

    Agent agent() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AgentConfig c = TestConfigs.rootedIn(dir, "manage-network", "false", "manage-firewall", "false", "http-port", Integer.toString(port),
                "pxelinux-dir", "/usr/lib/PXELINUX");
        Templates t = new Templates(null);
        MutableClock clock = new MutableClock();
        ShareLayout layout = new ShareLayout(c.shareMount());
        agent = new Agent(c, new ShareMounter(runner, "mount", c.shareMount(), c.mountInfo()), new ShareReader(layout), new NetworkSetup(c, runner),
                new Firewall(c, runner), new IscDhcpBackend(c, runner, t, clock), new AddressBook(c.stateDir().resolve("addresses.txt")), new TftpTree(c, t),
                new ServiceDaemons(c, t, clock),
                new InstallManager(c, new RecordingPowerService(), t, new PxeConfigs(c.pxelinuxCfg()), new InstallStore(c.stateDir().resolve("installs.json")),
                        clock, Runnable::run),
                new RequestSpool(layout.requests(), c.localRequests()), new StatusPublisher(c.statusPort(), c.statusFile(), Duration.ofSeconds(10), clock), t);
        return agent;
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
    }

    void share(String machines) throws Exception {
        share(machines, "centos");
    }

    void share(String machines, String profile) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("headnode.conf"), "vlan = 9\nprivate-address = 127.0.0.1/8\ninstall-profile = " + profile + "\n");
        Files.writeString(share.resolve("machines.txt"), machines);
    }

    long dhcpChecks() {
        return runner.joined().stream().filter(cmd -> cmd.contains(" -t ")).count();
    }

    @Test
    void missingThenValidThenInvalidShareKeepsTheLastGoodState() throws Exception {
        Agent a = agent();
        a.tick();
        ObjectNode s = a.statusJson();
        assertThat(s.path("share").asText()).isEqualTo("missing");
        assertThat(s.path("ready").asBoolean()).isFalse();

        share("52:54:00:00:00:0a 10.1.0.1\n");
        a.tick();
        s = a.statusJson();
        assertThat(s.path("share").asText()).isEqualTo("mounted-ro");
        assertThat(s.path("ready").asBoolean()).as(s.toString()).isTrue();
        assertThat(s.path("machines").get(0).path("state").asText()).isEqualTo("known");
        byte[] good = Files.readAllBytes(dir.resolve("dhcp/dhcpd.conf"));

        share("52:54:00:00:00:0a 10.1.0.1\n52:54:00:00:00:0b\n");
        a.tick();
        s = a.statusJson();
        assertThat(s.path("share").asText()).isEqualTo("invalid: machines.txt:2: bmc-address: missing: expected '<mac> <bmc-address>'");
        assertThat(s.path("machines")).hasSize(1);
        assertThat(Files.readAllBytes(dir.resolve("dhcp/dhcpd.conf"))).isEqualTo(good);
        assertThat(Files.readString(dir.resolve("state/status.json"))).contains("invalid: machines.txt:2");
    }

    @Test
    void anInstallProfileWithoutTemplatesIsNotApplied() throws Exception {
        Agent a = agent();
        share("52:54:00:00:00:0a 10.1.0.1\n", "nosuch");
        a.tick();
        assertThat(a.applied()).isNull();
        assertThat(a.statusJson().path("services").path("install-profile").asText()).contains("'nosuch' has no template profiles/nosuch/pxelinux.vm");
        assertThat(a.statusJson().path("ready").asBoolean()).isFalse();
        share("52:54:00:00:00:0a 10.1.0.1\n", "centos");
        a.tick();
        assertThat(a.applied()).isNotNull();
        assertThat(a.statusJson().path("services").path("install-profile").asText()).isEqualTo("ok");
    }

    @Test
    void unchangedShareIsNotAppliedAgainAndAFailedApplyIsNotRetriedOnEveryPoll() throws Exception {
        Agent a = agent();
        share("52:54:00:00:00:0a 10.1.0.1\n");
        a.tick();
        a.tick();
        a.tick();
        assertThat(dhcpChecks()).isEqualTo(1);
        runner.answer = argv -> argv.contains("-t") ? new CommandResult(argv, 1, "", "syntax error") : new CommandResult(argv, 0, "", "");
        share("52:54:00:00:00:0a 10.1.0.1\n52:54:00:00:00:0b 10.1.0.2\n");
        a.tick();
        a.tick();
        a.tick();
        assertThat(dhcpChecks()).isEqualTo(2);
        assertThat(a.statusJson().path("services").path("dhcpd").asText()).startsWith("failed: dhcpd -t rejected");
        assertThat(a.statusJson().path("ready").asBoolean()).isFalse();
        assertThat(a.applied().machines().machines()).hasSize(1);
    }
}
