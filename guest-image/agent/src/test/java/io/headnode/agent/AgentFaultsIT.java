package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected under a running agent (the shaded jar through its launcher, real dhcpd, in.tftpd and radvd in a
 * "headnode" namespace). Each case says what it injects and what it asserts; each ends converged with nothing lost,
 * within one poll of the agent being back (docs/faults.md has the table). Every case gets a fresh agent and tree.
 */
class AgentFaultsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVER = "10.100.0.1";
    Path dir;
    NetworkNamespace hn;
    Daemon agent;
    Path tmpfs;
    java.time.Instant started;

    @BeforeEach
    void namespace() throws Exception {
        dir = Files.createTempDirectory("agent-faults");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        hn = NetworkNamespace.create();
        hn.exec("ip", "link", "add", "hn-priv", "type", "veth", "peer", "name", "cl-eth");
        hn.exec("ip", "link", "set", "cl-eth", "up");
        hn.exec("ip", "link", "add", "hn-pub", "type", "veth", "peer", "name", "pub-eth");
        Files.createDirectories(dir.resolve("share/requests"));
        Files.writeString(dir.resolve("share/headnode.conf"), "vlan = 100\nprivate-address = " + SERVER + "/24\npower-driver = amt\n"
                + "install-attempts = 3\ninstall-deadline = 60\n");
        Files.writeString(dir.resolve("agent.conf"), String.join("\n",
                "share-mount = " + dir.resolve("share"), "mount-share = false", "state-dir = " + dir.resolve("state"),
                "tftp-root = " + dir.resolve("tftpboot"), "dhcp-dir = " + dir.resolve("dhcp"), "run-dir = " + dir.resolve("run"),
                "templates-dir = " + dir.resolve("templates"), "private-interface = hn-priv", "public-interface = hn-pub",
                "manage-firewall = false", "status-port = " + dir.resolve("status-port"), "poll-interval-ms = 300",
                "status-interval-ms = 2000", "dhcpd-leases = " + dir.resolve("state/dhcpd.leases"),
                "dhcpd-pid-file = " + dir.resolve("run/dhcpd.pid"), ""));
        Files.createFile(dir.resolve("status-port"));
    }

    @AfterEach
    void cleanUp(org.junit.jupiter.api.TestInfo test) throws Exception {
        try {
            if (agent != null) {
                agent.close();
                Files.copy(agent.log(), Files.createDirectories(Path.of("target/failsafe-reports"))
                                .resolve("AgentFaultsIT-" + test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("") + "-agent.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            hn.close();
        } finally {
            if (tmpfs != null) {
                Command.run(Duration.ofSeconds(20), List.of("umount", tmpfs.toString()));
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Injects: SIGKILL of the agent's JVM (and, as systemd's control-group kill does before it restarts the unit, of
     * the daemons it started) while it writes the per-MAC configs of a new "install all" request (after a grown
     * machines.txt), three times at different moments. Asserts: after each kill dhcpd.conf is whole (dhcpd -t accepts
     * it, and it holds every machine) and every per-MAC config is whole; after the
     * restart, within one poll of ready: dhcpd.conf holds every machine, each requested machine has exactly one whole
     * config, each request ran once, and no temp file is left behind.
     */
    @Test
    void agentKilledInTheMiddleOfAnApplyLeavesNoHalfWrittenFile() throws Exception {
        List<String> macs = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            macs.add(String.format(Locale.ROOT, "52:54:01:00:%02x:%02x", i / 256, i % 256));
        }
        writeShareFile("machines.txt", machines(macs.subList(0, 120)));
        startAgent();
        awaitReady(120);
        int[] grownTo = {150, 180, 240};
        for (int round = 0; round < 3; round++) {
            writeShareFile("machines.txt", machines(macs.subList(0, grownTo[round])));
            awaitReady(grownTo[round]);
            writeShareFile("requests/all-" + round + ".install", "all\n");
            // kill once the agent is busy writing: a different moment in each round
            int killAt = round * 25 + 5;
            int r = round;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> changedConfigs(r) >= killAt || !agent.isAlive());
            killAgentAndItsDaemons();
            assertWhole(grownTo[round]);
            startAgent();
            awaitReady(grownTo[round]);
        }
        // converged: every machine in dhcpd.conf, one whole config per machine of the last request, nothing left over
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(hostCount(Files.readString(dir.resolve("dhcp/dhcpd.conf")))).isEqualTo(240);
            assertThat(configs()).hasSize(240);
            for (Path p : configs()) {
                assertThat(Files.readString(p)).startsWith("# headnode-agent install config for").contains("request all-2").endsWith("ipappend 2\n");
            }
        });
        JsonNode installs = JSON.readTree(dir.resolve("state/installs.json").toFile());
        assertThat(installs.toString()).contains("all-0", "all-1", "all-2");
        assertThat(leftovers()).as("temp files left by the kills").isEmpty();
        assertThat(agent.isAlive()).isTrue();
    }

    /**
     * Injects: the agent's state directory on a 2 MiB tmpfs, filled to the last byte, while an install request
     * arrives; then freed. Asserts: while full the agent keeps running and says why in the status (install-state
     * failed), and no power cycle or per-MAC config runs ahead of the unsaved request; once freed, within one poll
     * the request is saved (installs.json), its per-MAC config is written and install-state is ok again: the request
     * is not lost.
     */
    @Test
    void stateDirectoryOnAFullFilesystemThenFreed() throws Exception {
        tmpfs = Files.createDirectories(dir.resolve("state"));
        Command.run(Duration.ofSeconds(20), List.of("mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", tmpfs.toString())).orThrow();
        String mac = "52:54:01:00:00:07";
        writeShareFile("machines.txt", mac + " 127.0.0.1:9\n52:54:01:00:00:08 127.0.0.1:9\n");
        startAgent();
        awaitReady(2);
        Path filler = tmpfs.resolve("filler");
        CommandResult fill = Command.run(Duration.ofSeconds(20), List.of("dd", "if=/dev/zero", "of=" + filler, "bs=4k"));
        assertThat(fill.stderr()).contains("No space left on device");

        writeShareFile("requests/full-1.install", mac + "\n");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> agent.logText().contains("cannot save the install state"));
        Path cfg = dir.resolve("tftpboot/pxelinux.cfg/01-" + mac.replace(':', '-'));
        assertThat(cfg).as("no per-MAC config ahead of the saved request").doesNotExist();
        assertThat(agent.isAlive()).isTrue();

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(tmpfs.resolve("installs.json")).exists().content().contains("full-1");
            assertThat(cfg).exists();
            JsonNode s = status();
            assertThat(s.path("services").path("install-state").path("state").asText()).isEqualTo("ok");
            assertThat(machine(s, mac).path("state").asText()).isIn("requested", "installing");
        });
        assertThat(agent.isAlive()).isTrue();
    }

    // ---- helpers

    /** Starts the agent; {@link #awaitReady} then takes only a status it published after this start. */
    void startAgent() {
        started = java.time.Instant.now();
        agent = hn.start("agent", dir.resolve("agent.log"), "env", "HEADNODE_AGENT_JAR=" + AgentIT.jar(), AgentIT.launcher(), "run", "--config",
                dir.resolve("agent.conf").toString());
    }

    /** SIGKILL to the JVM, then to what is left in the namespace (dhcpd, in.tftpd, radvd), as systemd's restart does. */
    void killAgentAndItsDaemons() {
        Command.run(Duration.ofSeconds(10), List.of("kill", "-KILL", Long.toString(agent.pid())));
        await().atMost(Duration.ofSeconds(10)).until(() -> !agent.isAlive());
        for (Long pid : hn.pids()) {
            Command.run(Duration.ofSeconds(10), List.of("kill", "-KILL", Long.toString(pid)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> hn.pids().isEmpty());
    }

    void awaitReady(int machines) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode s = status();
            assertThat(s.path("updated").isTextual() && java.time.Instant.parse(s.path("updated").asText()).isAfter(started)
                    && s.path("ready").asBoolean(false) && s.path("machines").size() == machines
                    && s.path("services").path("dhcpd").path("detail").asText().equals("running"))
                    .as("agent ready with %d machines: %s %s", machines, s, logTail()).isTrue();
        });
    }

    String logTail() {
        String log = agent.logText();
        return log.substring(Math.max(0, log.length() - 3000));
    }

    /** After a kill: dhcpd.conf is accepted by dhcpd -t and holds every machine; every per-MAC config is whole. */
    void assertWhole(int machines) throws Exception {
        Path conf = dir.resolve("dhcp/dhcpd.conf");
        CommandResult check = Command.run(Duration.ofSeconds(30), List.of("dhcpd", "-t", "-4", "-q", "-cf", conf.toString()));
        assertThat(check.exitCode()).as(check.stderr()).isZero();
        assertThat(hostCount(Files.readString(conf))).isEqualTo(machines);
        for (Path p : configs()) {
            assertThat(Files.readString(p)).as(p.toString()).startsWith("# headnode-agent install config for").endsWith("ipappend 2\n");
        }
    }

    /** The per-MAC configs written for request {@code all-<round>}. */
    long changedConfigs(int round) {
        long n = 0;
        for (Path p : configs()) {
            try {
                if (Files.readString(p).contains("request all-" + round + "\n")) {
                    n++;
                }
            } catch (Exception e) {
                // replaced while read: counted on the next poll
            }
        }
        return n;
    }

    List<Path> configs() {
        try (Stream<Path> s = Files.list(dir.resolve("tftpboot/pxelinux.cfg"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("01-")).sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    /**
     * AtomicFiles' temp files (".name.<digits>.tmp") under the trees the agent writes, made before the running agent
     * started: what the kills left. The running agent's own writes (its status, every few seconds) make short-lived
     * temp files, which a walk may catch mid-write; those are newer than its start and are not leftovers. (A kill
     * during the 20 ms of {@code dhcpd -t} can leave ".dhcpd.conf.candidate": harmless, overwritten by the next
     * check, so not counted.)
     */
    Set<String> leftovers() throws Exception {
        Set<String> out = new TreeSet<>();
        for (String d : List.of("dhcp", "tftpboot", "state")) {
            try (Stream<Path> s = Files.walk(dir.resolve(d))) {
                s.filter(p -> p.getFileName().toString().endsWith(".tmp") && madeBefore(p, started))
                        .forEach(p -> out.add(p.getFileName().toString()));
            }
        }
        return out;
    }

    static boolean madeBefore(Path p, java.time.Instant start) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(start);
        } catch (java.nio.file.NoSuchFileException e) {
            return false; // renamed over its target since the walk saw it: a finished write, not a leftover
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int hostCount(String dhcpdConf) {
        return dhcpdConf.split("hardware ethernet ", -1).length - 1;
    }

    static String machines(List<String> macs) {
        StringBuilder b = new StringBuilder();
        macs.forEach(m -> b.append(m).append(" 127.0.0.1:9\n"));
        return b.toString();
    }

    void writeShareFile(String name, String content) throws Exception {
        Path target = dir.resolve("share").resolve(name);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".writing");
        Files.writeString(tmp, content);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    JsonNode status() {
        try {
            return JSON.readTree(Files.readString(dir.resolve("state/status.json")));
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    static JsonNode machine(JsonNode status, String mac) {
        for (JsonNode m : status.path("machines")) {
            if (m.path("mac").asText().equals(mac)) {
                return m;
            }
        }
        return JSON.createObjectNode();
    }
}
