package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import com.google.inject.Guice;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import io.headnode.agent.install.Installs;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.HealthState;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerService;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconcile loop as Guice wires it, with real parts rooted in a temp dir, daemons not run, commands (dhcpd -t)
 * faked, HTTP on loopback and a hand-moved clock.
 */
class AgentTest {
    @TempDir
    Path dir;
    Agent agent;
    FakeRunner runner = new FakeRunner();
    MutableClock clock = new MutableClock();
    RecordingPowerService power = new RecordingPowerService();

    Agent agent(String... extra) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String[] settings = new String[extra.length + 8];
        System.arraycopy(new String[] {"manage-network", "false", "manage-firewall", "false", "http-port", Integer.toString(port),
                "pxelinux-dir", "/usr/lib/PXELINUX"}, 0, settings, 0, 8);
        System.arraycopy(extra, 0, settings, 8, extra.length);
        AgentConfig c = TestConfigs.rootedIn(dir, settings);
        var injector = Guice.createInjector(Stage.PRODUCTION, Modules.override(new AgentModule(c), new DhcpModule()).with(b -> {
            b.bind(CommandRunner.class).toInstance(runner);
            b.bind(Clock.class).toInstance(clock);
            b.bind(PowerService.class).toInstance(power);
        }));
        injector.getInstance(Installs.class).load();
        agent = injector.getInstance(Agent.class);
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

    static Health service(Agent a, String name) {
        return a.status().services().get(name);
    }

    @Test
    void missingThenValidThenInvalidShareKeepsTheLastGoodState() throws Exception {
        Agent a = agent();
        a.tick();
        AgentStatus s = a.status();
        assertThat(s.share()).isEqualTo(AgentStatus.Share.missing());
        assertThat(s.ready()).isFalse();
        assertThat(s.services().get("dhcpd")).isEqualTo(Health.pending("waiting for a valid share"));

        share("52:54:00:00:00:0a 10.1.0.1\n");
        a.tick();
        s = a.status();
        assertThat(s.share()).isEqualTo(AgentStatus.Share.mounted());
        assertThat(s.ready()).as(s.toString()).isTrue();
        assertThat(s.vlan().id()).isEqualTo(9);
        assertThat(s.machines().get(0).state()).isEqualTo(MachineState.KNOWN);
        assertThat(s.services()).containsKeys("install-profile", "network", "dhcpd", "tftpboot", "tftpd", "radvd", "install-state", "http", "firewall");
        assertThat(s.services().get("http").detail()).startsWith("listening on 127.0.0.1:");
        byte[] good = Files.readAllBytes(dir.resolve("dhcp/dhcpd.conf"));

        share("52:54:00:00:00:0a 10.1.0.1\n52:54:00:00:00:0b\n");
        a.tick();
        s = a.status();
        assertThat(s.share().text()).isEqualTo("invalid: machines.txt:2: bmc-address: missing: expected '<mac> <bmc-address>'");
        assertThat(s.ready()).isTrue();
        assertThat(s.machines()).hasSize(1);
        assertThat(Files.readAllBytes(dir.resolve("dhcp/dhcpd.conf"))).isEqualTo(good);
        assertThat(AgentStatus.parse(Files.readString(dir.resolve("state/status.json")).strip()).share().problem()).startsWith("machines.txt:2");
    }

    @Test
    void anInstallProfileWithoutTemplatesIsNotApplied() throws Exception {
        Agent a = agent();
        share("52:54:00:00:00:0a 10.1.0.1\n", "nosuch");
        a.tick();
        assertThat(a.applied()).isNull();
        assertThat(service(a, "install-profile").state()).isEqualTo(HealthState.FAILED);
        assertThat(service(a, "install-profile").detail()).contains("'nosuch' has no template profiles/nosuch/pxelinux.vm");
        assertThat(service(a, "dhcpd").state()).isEqualTo(HealthState.PENDING);
        assertThat(dhcpChecks()).isZero();
        assertThat(a.status().ready()).isFalse();
        share("52:54:00:00:00:0a 10.1.0.1\n", "centos");
        a.tick();
        assertThat(a.applied()).isNotNull();
        assertThat(service(a, "install-profile")).isEqualTo(Health.ok("profile centos"));
    }

    @Test
    void anUnchangedShareIsNotAppliedAgain() throws Exception {
        Agent a = agent();
        share("52:54:00:00:00:0a 10.1.0.1\n");
        a.tick();
        a.tick();
        clock.advance(Duration.ofMinutes(5));
        a.tick();
        assertThat(dhcpChecks()).isEqualTo(1);
        assertThat(a.status().ready()).isTrue();
    }

    @Test
    void aFailedApplyIsRetriedEvery30SecondsAndNotBefore() throws Exception {
        Agent a = agent();
        share("52:54:00:00:00:0a 10.1.0.1\n");
        a.tick();
        assertThat(dhcpChecks()).isEqualTo(1);
        runner.answer = argv -> argv.contains("-t") ? new CommandResult(argv, 1, "", "syntax error") : new CommandResult(argv, 0, "", "");
        share("52:54:00:00:00:0a 10.1.0.1\n52:54:00:00:00:0b 10.1.0.2\n");
        a.tick();
        a.tick();
        a.tick();
        assertThat(dhcpChecks()).isEqualTo(2);
        assertThat(service(a, "dhcpd").state()).isEqualTo(HealthState.FAILED);
        assertThat(service(a, "dhcpd").detail()).startsWith("dhcpd -t rejected").contains("syntax error");
        assertThat(a.status().ready()).isFalse();
        assertThat(a.applied().machines().machines()).hasSize(1);

        clock.advance(Duration.ofSeconds(29));
        a.tick();
        assertThat(dhcpChecks()).as("not before 30 s").isEqualTo(2);
        clock.advance(Duration.ofSeconds(2));
        a.tick();
        assertThat(dhcpChecks()).as("retried after 30 s").isEqualTo(3);
        a.tick();
        assertThat(dhcpChecks()).isEqualTo(3);

        runner.answer = argv -> new CommandResult(argv, 0, "", "");
        clock.advance(Duration.ofSeconds(30));
        a.tick();
        assertThat(dhcpChecks()).isEqualTo(4);
        assertThat(a.applied().machines().machines()).hasSize(2);
        assertThat(service(a, "dhcpd").state()).isEqualTo(HealthState.UNMANAGED);
        assertThat(a.status().ready()).isTrue();
        assertThat(a.status().machines()).hasSize(2);
    }

    @Test
    void aFailedStepThatDoesNotGateIsRetriedAloneAndTheStatusNamesIt() throws Exception {
        Path pxelinux = Files.createDirectories(dir.resolve("pxelinux"));
        Agent a = agent("pxelinux-dir", pxelinux.toString());
        share("52:54:00:00:00:0a 10.1.0.1\n");
        a.tick();
        assertThat(service(a, "tftpboot").state()).isEqualTo(HealthState.FAILED);
        assertThat(service(a, "tftpboot").detail()).startsWith("incomplete: " + pxelinux.resolve("pxelinux.0") + " is missing");
        assertThat(service(a, "http").state()).as("later steps still ran").isEqualTo(HealthState.OK);
        assertThat(a.status().ready()).isFalse();
        assertThat(a.applied()).isNull();

        Files.copy(Path.of("/usr/lib/PXELINUX/pxelinux.0"), pxelinux.resolve("pxelinux.0"));
        a.tick();
        assertThat(service(a, "tftpboot").state()).isEqualTo(HealthState.FAILED);
        clock.advance(Duration.ofSeconds(31));
        a.tick();
        assertThat(service(a, "tftpboot")).isEqualTo(Health.ok("complete"));
        assertThat(a.status().ready()).isTrue();
        assertThat(a.applied()).isNotNull();
        assertThat(dhcpChecks()).as("DHCP was in line: not run again").isEqualTo(1);
        assertThat(dir.resolve("tftpboot/pxelinux.0")).exists();
    }

    // ---- issue 13, "Why": each defect found by the security test run, at the level of the loop

    /** A bad install-profile, then the good one again: the reverted share is the one in force, so ready comes back at once. */
    @Test
    void aBadInstallProfileThatIsRevertedLeavesTheAgentReady() throws Exception {
        Agent a = agent();
        share("52:54:00:00:00:0a 10.1.0.1\n", "centos");
        a.tick();
        assertThat(a.status().ready()).isTrue();
        share("52:54:00:00:00:0a 10.1.0.1\n", "nosuch");
        a.tick();
        assertThat(service(a, "install-profile").state()).isEqualTo(HealthState.FAILED);
        assertThat(a.status().ready()).isFalse();
        share("52:54:00:00:00:0a 10.1.0.1\n", "centos");
        a.tick();
        assertThat(service(a, "install-profile")).isEqualTo(Health.ok("profile centos"));
        assertThat(a.status().ready()).as(a.status().toString()).isTrue();
    }

    /** More machines than the subnet has addresses: the extras are left out and logged, the rest is served, the status goes out. */
    @Test
    void anOverCapacityMachineListServesWhatFitsAndPublishesTheStatus() throws Exception {
        Agent a = agent();
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("headnode.conf"), "vlan = 9\nprivate-address = 127.0.0.1/30\n");
        Files.writeString(share.resolve("machines.txt"), "52:54:00:00:00:0a h\n52:54:00:00:00:0b h\n52:54:00:00:00:0c h\n");
        a.tick();
        a.tick();
        AgentStatus s = AgentStatus.parse(Files.readString(dir.resolve("state/status.json")).strip());
        assertThat(s.ready()).as(s.toString()).isTrue();
        assertThat(s.machines()).hasSize(3);
        String conf = Files.readString(dir.resolve("dhcp/dhcpd.conf"));
        assertThat(conf.split("fixed-address", -1)).hasSize(2);
        assertThat(conf).contains("fixed-address 127.0.0.2;");
    }

    /** A huge unknown key in headnode.conf: the status line stays short (the share problem is cut), and so does the log. */
    @Test
    void aHugeUnknownKeyGivesABoundedStatusLine() throws Exception {
        Agent a = agent();
        share("52:54:00:00:00:0a 10.1.0.1\n");
        a.tick();
        Path conf = dir.resolve("share/headnode.conf");
        Files.writeString(conf, "vlan = 9\nprivate-address = 127.0.0.1/8\n" + "k".repeat(60_000) + " = v\n");
        a.tick();
        String line = Files.readString(dir.resolve("state/status.json")).strip();
        assertThat(line.length()).isLessThan(4096);
        assertThat(AgentStatus.parse(line).share().text()).startsWith("invalid: headnode.conf:3: ");
        Files.writeString(conf, "vlan = 9\n" + "k".repeat(1 << 20) + " = v\n");
        a.tick();
        line = Files.readString(dir.resolve("state/status.json")).strip();
        assertThat(line.length()).isLessThan(4096);
        assertThat(AgentStatus.parse(line).share().text()).isEqualTo("invalid: headnode.conf: file: larger than 65536 bytes");
        assertThat(AgentStatus.parse(line).ready()).isTrue();
    }

    /** A failure inside a pass (here the mount command throws) is caught, logged once, shown in the status; the loop goes on. */
    @Test
    void aFailureInsideThePassIsLoggedOnceShownInTheStatusAndTheLoopGoesOn() throws Exception {
        Path mountInfo = Files.writeString(dir.resolve("mountinfo"), "");
        Agent a = agent("mount-share", "true", "mount-info", mountInfo.toString());
        runner.answer = argv -> {
            throw new IllegalStateException("mount exploded");
        };
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Agent.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            a.tick();
            a.tick();
            a.tick();
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("mount exploded")).hasSize(1);
        AgentStatus s = AgentStatus.parse(Files.readString(dir.resolve("state/status.json")).strip());
        assertThat(s.services().get(Agent.LOOP_SERVICE)).isEqualTo(Health.failed("java.lang.IllegalStateException: mount exploded"));
        assertThat(s.ready()).isFalse();
        runner.answer = argv -> new io.headnode.common.exec.CommandResult(argv, 0, "", "");
        Files.writeString(mountInfo, "36 35 0:40 / " + dir.resolve("share") + " ro,relatime - 9p moc ro\n");
        share("52:54:00:00:00:0a 10.1.0.1\n");
        a.tick();
        s = a.status();
        assertThat(s.services()).doesNotContainKey(Agent.LOOP_SERVICE);
        assertThat(s.ready()).as(s.toString()).isTrue();
    }

    /**
     * Issue 13: a power cycle that failed (the BMC refused the credentials) is not tried again while nothing changed
     * (no BMC lock-out from retries), and is tried again once credentials.conf changes; the install then goes on.
     */
    @Test
    void aPowerCycleThatFailedIsRetriedWhenTheCredentialsChange() throws Exception {
        String mac = "52:54:00:00:00:0a";
        Agent a = agent();
        power.cycleAnswer = PowerOutcome.Kind.REFUSED;
        share(mac + " 10.1.0.1\n");
        Path creds = dir.resolve("share/credentials.conf");
        Files.writeString(creds, mac + " driver=ipmi user=admin secret=wrong\n");
        a.tick();
        Files.createDirectories(dir.resolve("share/requests"));
        Files.writeString(dir.resolve("share/requests/r1.install"), mac + "\n");
        a.tick();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            a.tick();
            assertThat(a.status().machines().get(0).detail()).contains("power cycle failed", "REFUSED");
        });
        a.tick();
        a.tick();
        assertThat(power.calls()).filteredOn(c -> c.startsWith("cycle")).hasSize(1);
        assertThat(a.status().machines().get(0).state()).isEqualTo(MachineState.REQUESTED);

        power.cycleAnswer = PowerOutcome.Kind.DONE;
        Files.writeString(creds, mac + " driver=ipmi user=admin secret=the-right-one\n");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            a.tick();
            assertThat(a.status().machines().get(0).state()).isEqualTo(MachineState.INSTALLING);
        });
        a.tick();
        a.tick();
        assertThat(power.calls()).filteredOn(c -> c.startsWith("cycle")).hasSize(2);
        assertThat(a.status().machines().get(0).detail()).startsWith("power-cycled");
    }
}
