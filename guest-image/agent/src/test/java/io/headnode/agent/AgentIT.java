package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.common.exec.CommandResult;
import io.headnode.contract.AgentStatus;
import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent jar, run as it runs in the guest, inside a "headnode" namespace with real dhcpd, in.tftpd and radvd;
 * a "client" namespace on the private side plays the nodes, a second client ("intruder") on the same private
 * bridge plays another host on the VLAN, a "public" namespace on the other veth plays the outside world. Everything rooted in a temp directory; namespaces and daemons are removed afterwards.
 *
 * <p>The namespaces and the agent are started once; every case is independent: {@link #knownState()} first brings
 * the agent back (running, ready, the baseline machines.txt applied) and the client to the baseline (cl-eth with
 * MAC1, no IPv4 address), and each case that installs uses a MAC of its own. A failing case does not cascade.
 */
class AgentIT {
    static final String MAC1 = "52:54:00:aa:00:01";
    /** The install through {@code headnode-agent install}. */
    static final String MAC_TFTP = "52:54:00:aa:00:02";
    /** The kickstart and the kernel over HTTP. */
    static final String MAC_KS = "52:54:00:aa:00:03";
    /** The callback and the requests that must change nothing. */
    static final String MAC_CALLBACK = "52:54:00:aa:00:04";
    /** A share request across agent restarts. */
    static final String MAC_SPOOL = "52:54:00:aa:00:05";
    /** An install that power-cycles through a real BMC simulator on port 9623. */
    static final String MAC_BMC = "52:54:00:aa:00:06";
    /** An install whose node's address a second host takes over. */
    static final String MAC_TAKEOVER = "52:54:00:aa:00:08";
    /** An install in flight when its head node is replaced by one with an empty state dir (issue 11). */
    static final String MAC_FAILOVER = "52:54:00:aa:00:0a";
    /** The share's install.key: 32 bytes 0x40..0x5f. */
    static final String INSTALL_KEY = "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f";
    /** The second host on the VLAN (the intruder namespace's MAC). */
    static final String INTRUDER_MAC = "52:54:00:ee:00:01";
    static final String UNLISTED = "52:54:00:bb:00:09";
    static final String SERVER = "10.100.0.1";
    static final String OTHER = "10.100.0.50";
    static final String BASELINE_MACHINES = String.join("", MAC1 + " 127.0.0.1:9\n", MAC_TFTP + " 127.0.0.1:9\n", MAC_KS + " 127.0.0.1:9\n",
            MAC_CALLBACK + " 127.0.0.1:9\n", MAC_SPOOL + " 127.0.0.1:9\n", MAC_BMC + " 127.0.0.1:9623\n", MAC_TAKEOVER + " 127.0.0.1:9\n",
            MAC_FAILOVER + " 127.0.0.1:9\n");
    static final int BASELINE_COUNT = 8;
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger REQUESTS = new AtomicInteger();

    static Path dir;
    static NetworkNamespace hn;
    static NetworkNamespace client;
    static NetworkNamespace pub;
    static NetworkNamespace intruder;
    static Daemon agent;
    static Path conf;
    /** The running agent's state dir (where it publishes status.json). */
    static volatile Path stateDir;
    static byte[] kernel;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("agent-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        hn = NetworkNamespace.create();
        client = NetworkNamespace.create();
        pub = NetworkNamespace.create();
        intruder = NetworkNamespace.create();
        // the private side is a bridge (the VLAN) with two hosts on it: the node(s) and another host
        hn.exec("ip", "link", "add", "hn-priv", "type", "bridge");
        hn.exec("ip", "link", "add", "hn-cl", "type", "veth", "peer", "name", "cl-eth", "netns", client.name());
        hn.exec("ip", "link", "add", "hn-x", "type", "veth", "peer", "name", "x-eth", "netns", intruder.name());
        for (String port : List.of("hn-cl", "hn-x")) {
            hn.exec("ip", "link", "set", port, "master", "hn-priv");
            hn.exec("ip", "link", "set", port, "up");
        }
        intruder.exec("ip", "link", "set", "x-eth", "address", INTRUDER_MAC);
        intruder.exec("ip", "link", "set", "x-eth", "up");
        hn.exec("ip", "link", "add", "hn-pub", "type", "veth", "peer", "name", "pub-eth", "netns", pub.name());
        hn.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "hn-pub");
        hn.exec("ip", "addr", "add", "2001:db8::1/64", "dev", "hn-pub", "nodad");
        hn.exec("ip", "link", "set", "hn-pub", "up");
        pub.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "pub-eth");
        pub.exec("ip", "addr", "add", "2001:db8::2/64", "dev", "pub-eth", "nodad");
        pub.exec("ip", "link", "set", "pub-eth", "up");

        Path share = Files.createDirectories(dir.resolve("share"));
        Files.createDirectories(share.resolve("requests"));
        Files.writeString(share.resolve("headnode.conf"), "vlan = 100\nprivate-address = 10.100.0.1/24\nbmc-address = 10.100.1.1/24\n"
                + "power-driver = amt\ninstall-attempts = 3\ninstall-deadline = 60\n");
        Files.writeString(share.resolve("machines.txt"), BASELINE_MACHINES);
        Files.writeString(share.resolve("install.key"), INSTALL_KEY + "\n");
        Files.setPosixFilePermissions(share.resolve("install.key"), PosixFilePermissions.fromString("rw-------"));
        Path tftp = Files.createDirectories(dir.resolve("tftpboot/centos"));
        kernel = new byte[1 << 20];
        new Random(42).nextBytes(kernel);
        Files.write(tftp.resolve("vmlinuz"), kernel);
        Files.writeString(dir.resolve("secret.txt"), "outside the tree\n");
        // sshd's host key, as the head node's first boot makes it (the agent reports its public half)
        Files.createDirectories(dir.resolve("ssh"));
        Command.check("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-C", "agent-it", "-f", dir.resolve("ssh/ssh_host_ed25519_key").toString());
        conf = dir.resolve("agent.conf");
        stateDir = dir.resolve("state");
        Files.writeString(conf, String.join("\n",
                "share-mount = " + share, "mount-share = false", "state-dir = " + dir.resolve("state"),
                "tftp-root = " + dir.resolve("tftpboot"), "dhcp-dir = " + dir.resolve("dhcp"), "run-dir = " + dir.resolve("run"),
                "templates-dir = " + dir.resolve("templates"), "private-interface = hn-priv", "public-interface = hn-pub",
                "status-port = " + dir.resolve("status-port"), "poll-interval-ms = 300", "status-interval-ms = 2000", "http-port = 80", "http-request-timeout-ms = 3000",
                "dhcpd-leases = " + dir.resolve("state/dhcpd.leases"), "dhcpd-pid-file = " + dir.resolve("run/dhcpd.pid"),
                "ssh-host-key-dir = " + dir.resolve("ssh"), "authorized-keys = " + dir.resolve("root/.ssh/authorized_keys"), ""));
        Files.createFile(dir.resolve("status-port"));
        startAgent();
    }

    /** The state every case starts from; brings back whatever an earlier (possibly failed) case changed. */
    @BeforeEach
    void knownState() throws Exception {
        if (!agent.isAlive()) {
            startAgent();
        }
        Path machines = dir.resolve("share/machines.txt");
        if (!readOr(machines).equals(BASELINE_MACHINES)) {
            writeShareFile(machines, BASELINE_MACHINES);
        }
        if (!client.exec("cat", "/sys/class/net/cl-eth/address").stdout().strip().equals(MAC1)) {
            client.exec("ip", "link", "set", "cl-eth", "down");
            client.exec("ip", "link", "set", "cl-eth", "address", MAC1);
        }
        client.exec("ip", "-4", "addr", "flush", "dev", "cl-eth");
        client.exec("ip", "link", "set", "cl-eth", "up");
        awaitTrue(Duration.ofSeconds(40), () -> {
            JsonNode s = status();
            return s.path("ready").asBoolean(false) && s.path("share").asText().equals("mounted-ro") && s.path("machines").size() == BASELINE_COUNT
                    && s.path("services").path("dhcpd").path("detail").asText().equals("running") && readOr(dir.resolve("run/dhcpd.pid")).strip().matches("[0-9]+");
        }, () -> "agent not back to its baseline: " + statusText() + agent.logText());
        // (after the agent brought hn-priv up: without a carrier, duplicate address detection never ends)
        awaitTrue(Duration.ofSeconds(10), () -> {
            String ll = client.exec("ip", "-6", "addr", "show", "dev", "cl-eth", "scope", "link").stdout();
            return ll.contains("inet6") && !ll.contains("tentative");
        }, () -> "cl-eth has no usable link-local address");
    }

    static void startAgent() {
        startAgent(conf);
    }

    /**
     * Stops the agent and starts it with {@code config}, whose state dir is {@code state}; returns once the new process
     * has published a ready status (its status.json is removed first, so an old agent's last status cannot pass for
     * the new one's).
     */
    static void restartAgent(Path config, Path state) throws Exception {
        int before = starts();
        agent.close();
        stateDir = state;
        Files.deleteIfExists(state.resolve("status.json"));
        startAgent(config);
        awaitTrue(Duration.ofSeconds(40), () -> starts() == before + 1 && status().path("ready").asBoolean(false), AgentIT::statusText);
    }

    static void startAgent(Path config) {
        // through the launcher, with its production JVM options (-Xmx48m ...)
        agent = hn.start("agent", dir.resolve("agent.log"), "env", "HEADNODE_AGENT_JAR=" + jar(), launcher(), "run", "--config", config.toString());
    }

    static String launcher() {
        return Path.of("../../bin/headnode-agent").toAbsolutePath().normalize().toString();
    }

    static String jar() {
        return System.getProperty("headnode.agent.jar", "target/headnode-agent.jar");
    }

    @AfterAll
    static void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {agent, client, intruder, pub, hn}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        // keep the agent's log with the test reports; the rest of the temp tree goes
        try {
            Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
            Files.copy(dir.resolve("agent.log"), reports.resolve("AgentIT-agent.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (Exception e) {
            System.err.println("cleanup of " + dir + ": " + e);
        }
    }

    @Test
    void listedMacGetsItsFixedLeaseWithPxeOptionsAndUnlistedMacNone() throws Exception {
        String fixed1 = address(MAC1);
        assertThat(fixed1).startsWith("10.100.0.");
        assertThat(fixed1).isNotEqualTo(SERVER);
        List<String> lease = udhcpc();
        assertThat(lease).contains("ip=" + fixed1, "siaddr=" + SERVER, "boot_file=pxelinux.0");

        client.exec("ip", "link", "set", "cl-eth", "down");
        client.exec("ip", "link", "set", "cl-eth", "address", UNLISTED);
        client.exec("ip", "link", "set", "cl-eth", "up");
        assertThat(udhcpc()).isEmpty();
        assertThat(Files.readString(dir.resolve("dhcp/dhcpd.conf"))).contains("boot-unknown-clients false;", "hardware ethernet " + MAC1 + "; fixed-address " + fixed1);
    }

    /** /metrics on the private side: the real nftables counters move with DHCP and TFTP requests; promtool accepts the text. */
    @Test
    void metricsCountDhcpTftpAndHttpAndPromtoolAcceptsThem() throws Exception {
        clientAt(OTHER);
        String before = curl(OTHER, "-fsS", "http://" + SERVER + "/metrics").stdout();
        clientAt();
        assertThat(udhcpc()).contains("ip=" + address(MAC1));
        clientAt(OTHER);
        Path got = dir.resolve("metrics-pxelinux.0");
        client.run(Duration.ofSeconds(20), "tftp", "-m", "binary", SERVER, "-c", "get", "pxelinux.0", got.toString());
        assertThat(code(OTHER, "http://" + SERVER + "/pxelinux.0")).isEqualTo("200");
        CommandResult after = curl(OTHER, "-fsS", "-D", "/dev/stderr", "http://" + SERVER + "/metrics");
        assertThat(after.stderr()).containsIgnoringCase("content-type: text/plain; version=0.0.4");
        assertThat(sample(after.stdout(), "headnode_agent_dhcp_requests_total")).isGreaterThan(sample(before, "headnode_agent_dhcp_requests_total"));
        assertThat(sample(after.stdout(), "headnode_agent_tftp_requests_total")).isGreaterThan(sample(before, "headnode_agent_tftp_requests_total"));
        assertThat(sample(after.stdout(), "headnode_agent_http_responses_total{code=\"200\"}")).isGreaterThanOrEqualTo(2);
        assertThat(after.stdout()).contains("headnode_agent_installs{state=\"known\"}");
        assertThat(io.headnode.agent.metrics.AgentMetricsTest.promtool(after.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("0:");
    }

    static double sample(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void installRequestWritesPerMacConfigServedOverTftp() throws Exception {
        CommandResult r = Command.run(Duration.ofSeconds(30), List.of("java", "-jar", jar(), "install", "--config", conf.toString(), MAC_TFTP));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        awaitTrue(Duration.ofSeconds(10), () -> machine(MAC_TFTP).path("state").asText().matches("requested|installing"), AgentIT::statusText);
        Path cfg = pxeConfig(MAC_TFTP);
        // the state changes in memory at once; the install-disk thread then saves it and writes the per-MAC config
        awaitTrue(Duration.ofSeconds(5), () -> Files.exists(cfg), AgentIT::statusText);
        clientAt(address(MAC_TFTP));

        Path got = dir.resolve("got-pxelinux.0");
        client.run(Duration.ofSeconds(20), "tftp", "-m", "binary", SERVER, "-c", "get", "pxelinux.0", got.toString());
        assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(Path.of("/usr/lib/PXELINUX/pxelinux.0")));
        Path gotCfg = dir.resolve("got-01");
        client.run(Duration.ofSeconds(20), "tftp", "-m", "binary", SERVER, "-c", "get", "pxelinux.cfg/" + cfg.getFileName(), gotCfg.toString());
        assertThat(Files.readString(gotCfg)).contains("ks=http://" + SERVER + ":80/ks/" + cfg.getFileName(), "kernel centos/vmlinuz");
        Path gotDefault = dir.resolve("got-default");
        client.run(Duration.ofSeconds(20), "tftp", "-m", "binary", SERVER, "-c", "get", "pxelinux.cfg/default", gotDefault.toString());
        assertThat(Files.readString(gotDefault)).contains("localboot 0");
    }

    @Test
    void kickstartOnlyForTheNodeAndKernelRangeOverHttp() throws Exception {
        requestInstall(MAC_KS);
        String node = address(MAC_KS);
        clientAs(MAC_KS, node, OTHER);
        String ksUrl = "http://" + SERVER + "/ks/" + pxeName(MAC_KS);
        CommandResult other = curl(OTHER, "-o", "/dev/null", "-w", "%{http_code}", ksUrl);
        assertThat(other.stdout()).isEqualTo("403");
        CommandResult ks = curl(node, "-fsS", ksUrl);
        assertThat(ks.exitCode()).as(ks.stderr()).isZero();
        assertThat(token(ks.stdout())).hasSize(43);
        assertThat(ks.stdout()).contains("http://" + SERVER + ":80/boot-default/" + pxeName(MAC_KS), "%post");

        Path part = dir.resolve("range.bin");
        CommandResult range = curl(node, "-sS", "-o", part.toString(), "-w", "%{http_code}", "-r", "1000-1999", "http://" + SERVER + "/centos/vmlinuz");
        assertThat(range.stdout()).isEqualTo("206");
        assertThat(Files.readAllBytes(part)).isEqualTo(java.util.Arrays.copyOfRange(kernel, 1000, 2000));
        Path whole = dir.resolve("whole.bin");
        assertThat(curl(node, "-sS", "-o", whole.toString(), "-w", "%{http_code}", "http://" + SERVER + "/centos/vmlinuz").stdout()).isEqualTo("200");
        assertThat(Files.readAllBytes(whole)).isEqualTo(kernel);
    }

    @Test
    void forgedReplayedForeignAndTraversalRequestsChangeNothing() throws Exception {
        requestInstall(MAC_CALLBACK);
        String node = address(MAC_CALLBACK);
        clientAs(MAC_CALLBACK, node, OTHER);
        String token = token(curl(node, "-fsS", "http://" + SERVER + "/ks/" + pxeName(MAC_CALLBACK)).stdout());
        Path cfg = pxeConfig(MAC_CALLBACK);
        byte[] before = Files.readAllBytes(cfg);
        String url = "http://" + SERVER + "/boot-default/" + pxeName(MAC_CALLBACK);
        String forged = "token=" + "A".repeat(43);
        assertThat(code(node, "-X", "POST", "--data", forged, url)).isEqualTo("403");
        assertThat(code(OTHER, "-X", "POST", "--data", "token=" + token, url)).isEqualTo("403");
        assertThat(code(node, "-X", "GET", url)).isEqualTo("405");
        assertThat(code(node, "-X", "POST", "--data", "token=" + token, "http://" + SERVER + "/boot-default/" + pxeName(MAC1))).isEqualTo("403");
        assertThat(code(node, "--path-as-is", "http://" + SERVER + "/../secret.txt")).isIn("400", "404");
        assertThat(code(node, "--path-as-is", "http://" + SERVER + "/centos/%2e%2e/%2e%2e/secret.txt")).isIn("400", "404");
        assertThat(code(node, "--path-as-is", "http://" + SERVER + "/boot-default/..%2f..%2fsecret.txt")).isIn("400", "404", "405");
        assertThat(code(node, "-X", "POST", "--data", "token=" + token, "--path-as-is",
                "http://" + SERVER + "/boot-default/../boot-default/" + pxeName(MAC_CALLBACK))).isIn("400", "404", "405");
        assertThat(code(node, "-X", "POST", "--data-binary", "token=" + "x".repeat(5000), url)).isIn("413", "000");
        assertThat(Files.readAllBytes(cfg)).isEqualTo(before);
        awaitTrue(Duration.ofSeconds(5), () -> machine(MAC_CALLBACK).path("state").asText().equals("installing"), AgentIT::statusText);

        // a slow sender is cut off: half a request, then silence
        long start = System.nanoTime();
        CommandResult slow = client.run(Duration.ofSeconds(30), "bash", "-c",
                "exec 3<>/dev/tcp/" + SERVER + "/80; printf 'GET /pxelinux.0 HTTP/1.1\\r\\nHost: x\\r\\n' >&3; cat <&3; echo closed");
        assertThat(slow.stdout()).isEqualTo("closed\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        assertThat(code(node, "-X", "POST", "--data", "token=" + token, url)).isEqualTo("200");
        assertThat(cfg).doesNotExist();
        awaitTrue(Duration.ofSeconds(5), () -> machine(MAC_CALLBACK).path("state").asText().equals("installed"), AgentIT::statusText);
        assertThat(code(node, "-X", "POST", "--data", "token=" + token, url)).isEqualTo("409");
        assertThat(code(node, "http://" + SERVER + "/ks/" + pxeName(MAC_CALLBACK))).isEqualTo("404");
        assertThat(cfg).doesNotExist();
        assertThat(machine(MAC_CALLBACK).path("state").asText()).isEqualTo("installed");
    }

    @Test
    void truncatedOrInvalidMachinesTxtKeepsTheLastGoodConfig() throws Exception {
        Path conf = dir.resolve("dhcp/dhcpd.conf");
        Path machines = dir.resolve("share/machines.txt");
        byte[] good = Files.readAllBytes(conf);
        String pid = Files.readString(dir.resolve("run/dhcpd.pid")).strip();
        String fixed1 = address(MAC1);

        writeShareFile(machines, BASELINE_MACHINES + "52:54:00:aa:00:07 127.0.0.1");
        awaitTrue(Duration.ofSeconds(10), () -> status().path("share").asText().startsWith("invalid: machines.txt:" + (BASELINE_COUNT + 1) + ": file: incomplete"), AgentIT::statusText);
        writeShareFile(machines, MAC1 + " 127.0.0.1:9\n52:54:00:zz:00:03 127.0.0.1:9\n");
        awaitTrue(Duration.ofSeconds(10), () -> status().path("share").asText().startsWith("invalid: machines.txt:2: mac:"), AgentIT::statusText);
        // several polls (300 ms apart) later, the last good state is still in force
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> Arrays.equals(Files.readAllBytes(conf), good) && readOr(dir.resolve("run/dhcpd.pid")).strip().equals(pid));
        assertThat(status().path("ready").asBoolean()).isTrue();
        assertThat(status().path("machines")).hasSize(BASELINE_COUNT);
        assertThat(agent.logText()).contains("machines.txt:2: mac:");
        assertThat(udhcpc()).contains("ip=" + fixed1);

        writeShareFile(machines, BASELINE_MACHINES + "52:54:00:aa:00:07 127.0.0.1:9\n");
        awaitTrue(Duration.ofSeconds(10), () -> status().path("machines").size() == BASELINE_COUNT + 1, AgentIT::statusText);
        assertThat(status().path("share").asText()).isEqualTo("mounted-ro");
        assertThat(Files.readString(conf)).contains("hardware ethernet 52:54:00:aa:00:07;");
        awaitTrue(Duration.ofSeconds(10), () -> !readOr(dir.resolve("run/dhcpd.pid")).strip().equals(pid), () -> "dhcpd not restarted");
        assertThat(address(MAC1)).isEqualTo(fixed1);
    }

    @Test
    void unchangedShareRewritesAndRestartsNothing() throws Exception {
        Path conf = dir.resolve("dhcp/dhcpd.conf");
        long mtime = Files.getLastModifiedTime(conf).toMillis();
        String pid = Files.readString(dir.resolve("run/dhcpd.pid")).strip();
        // five polls (300 ms apart) of the same share
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.getLastModifiedTime(conf).toMillis() == mtime && readOr(dir.resolve("run/dhcpd.pid")).strip().equals(pid));
    }

    @Test
    void firewallLeavesOnlySshReachableFromThePublicSideOverIpv4AndIpv6() throws Exception {
        try (Daemon ssh = hn.start("ssh-stand-in", dir.resolve("nc22.log"), "busybox", "nc", "-ll", "-p", "22", "-e", "/bin/true");
             Daemon other = hn.start("other-listener", dir.resolve("nc8022.log"), "busybox", "nc", "-ll", "-p", "8022", "-e", "/bin/true")) {
            awaitTrue(Duration.ofSeconds(5), () -> hn.run(Duration.ofSeconds(5), "busybox", "nc", "-w", "1", "127.0.0.1", "8022").exitCode() == 0,
                    () -> "listener did not start");
            assertThat(reachable("192.0.2.1", 22)).isTrue();
            assertThat(reachable("2001:db8::1", 22)).isTrue();
            assertThat(reachable("192.0.2.1", 8022)).isFalse();
            assertThat(reachable("2001:db8::1", 8022)).isFalse();
            assertThat(pub.run(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", "192.0.2.1").exitCode()).isNotZero();
            // the same port is open from the private side: it is the firewall that drops, not a missing listener
            clientAt(OTHER);
            assertThat(client.run(Duration.ofSeconds(5), "busybox", "nc", "-w", "2", SERVER, "8022").exitCode()).isZero();
        }
        // a scan of every TCP port and the common UDP ones from the public side, IPv4 and IPv6: only tcp/22 answers
        // (the other ports are dropped, not refused: filtered), while from the private side a closed UDP port says so
        try (Daemon ssh = hn.start("ssh-stand-in", dir.resolve("nc22-scan.log"), "busybox", "nc", "-ll", "-p", "22", "-e", "/bin/true")) {
            awaitTrue(Duration.ofSeconds(5), () -> reachable("192.0.2.1", 22), () -> "ssh stand-in did not start");
            for (String target : List.of("192.0.2.1", "2001:db8::1")) {
                java.util.Map<String, String> tcp = scan(pub, target, "-sS", "-p-");
                assertThat(tcp).as("TCP scan of %s", target).containsExactly(java.util.Map.entry("22/tcp", "open"));
                java.util.Map<String, String> udp = scan(pub, target, "-sU", "-p", COMMON_UDP);
                assertThat(udp).as("UDP scan of %s", target).hasSize(COMMON_UDP.split(",").length).allSatisfy((port, state) ->
                        assertThat(state).as(port).isEqualTo("open|filtered"));
            }
        }
        clientAt(OTHER);
        assertThat(scan(client, SERVER, "-sU", "-p", "161")).as("the private side is not filtered").containsEntry("161/udp", "closed");
        // applying again (agent restart applies it again) leaves exactly one table
        String tables = hn.exec("nft", "list", "tables").stdout();
        assertThat(tables.lines().filter(l -> l.contains("inet headnode")).count()).isEqualTo(1);
        assertThat(status().path("services").path("firewall").path("state").asText()).isEqualTo("ok");
        assertThat(status().path("services").path("firewall").path("detail").asText()).isEqualTo("in force");
        // DHCP and TFTP answer on the private interface only (dhcpd reads raw packets, so this is the interface
        // restriction at work, not the firewall): a listed MAC asking on the public side gets nothing
        pub.exec("ip", "link", "set", "pub-eth", "down");
        pub.exec("ip", "link", "set", "pub-eth", "address", MAC1);
        pub.exec("ip", "link", "set", "pub-eth", "up");
        assertThat(pub.run(Duration.ofSeconds(20), "busybox", "udhcpc", "-i", "pub-eth", "-n", "-q", "-f", "-t", "2", "-T", "1", "-s", "/bin/true")
                .exitCode()).isNotZero();
        assertThat(pub.run(Duration.ofSeconds(10), "curl", "-sS", "--max-time", "3", "-o", "/dev/null", "tftp://192.0.2.1/pxelinux.0").exitCode())
                .isNotZero();
    }

    @Test
    void theStatusReportsSshAccessAndTheSharesKeysBecomeRootsAuthorizedKeys() throws Exception {
        String fingerprint = Command.check("ssh-keygen", "-l", "-f", dir.resolve("ssh/ssh_host_ed25519_key.pub").toString()).stdout().split(" ")[1];
        awaitTrue(Duration.ofSeconds(15), () -> status().path("ssh").path("addresses").toString().contains("192.0.2.1"), AgentIT::statusText);
        JsonNode ssh = status().path("ssh");
        assertThat(ssh.path("addresses").get(0).asText()).isEqualTo("192.0.2.1");
        assertThat(ssh.path("addresses").toString()).contains("\"2001:db8::1\"").contains("\"fe80::");
        assertThat(ssh.path("hostKeys").get(0).path("type").asText()).isEqualTo("ssh-ed25519");
        assertThat(ssh.path("hostKeys").get(0).path("fingerprint").asText()).isEqualTo(fingerprint);
        assertThat(ssh.path("hostKeys").get(0).path("key").asText()).isEqualTo(
                Files.readString(dir.resolve("ssh/ssh_host_ed25519_key.pub")).split(" ")[1]);

        Path target = dir.resolve("root/.ssh/authorized_keys");
        String admin = Files.readString(dir.resolve("ssh/ssh_host_ed25519_key.pub")).strip();
        writeShareFile(dir.resolve("share/authorized_keys"), "no-pty " + admin + "\n");
        awaitTrue(Duration.ofSeconds(10), () -> readOr(target).contains("no-pty " + admin + "\n"), () -> statusText() + agent.logText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(status().path("services").path("ssh-keys").path("detail").asText()).isEqualTo("1 keys");
        // a bad key file keeps the last good keys in force, with the line and field in the status
        writeShareFile(dir.resolve("share/authorized_keys"), admin + "\ncommand=\"/bin/sh\" " + admin + "\n");
        awaitTrue(Duration.ofSeconds(10), () -> status().path("share").asText().startsWith("invalid: authorized_keys:2: options:"), AgentIT::statusText);
        assertThat(readOr(target)).contains("no-pty " + admin + "\n");
        Files.delete(dir.resolve("share/authorized_keys"));
        awaitTrue(Duration.ofSeconds(10), () -> status().path("share").asText().equals("mounted-ro"), AgentIT::statusText);
    }

    @Test
    void routerAdvertisementsOnThePrivateSideHaveLifetimeZero() {
        CommandResult ra = client.run(Duration.ofSeconds(20), "rdisc6", "-1", "-w", "3000", "-r", "3", "cl-eth");
        assertThat(ra.exitCode()).as(ra.stdout() + ra.stderr()).isZero();
        assertThat(ra.stdout()).containsPattern("Router lifetime\\s*:\\s*0 ");
    }

    @Test
    void statusCommandAndPortReportTheSameState() throws Exception {
        CommandResult r = Command.run(Duration.ofSeconds(30), List.of("env", "HEADNODE_AGENT_JAR=" + jar(), launcher(), "status", "--config", conf.toString()));
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("mounted-ro", MAC1, machine(MAC1).path("state").asText(), "dhcpd", "running");
        List<String> lines = Files.readAllLines(dir.resolve("status-port"));
        assertThat(lines).isNotEmpty();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.path("ready").asBoolean()).isTrue();
        assertThat(last.path("share").asText()).isEqualTo("mounted-ro");
        assertThat(last.path("services").path("tftpd").path("detail").asText()).isEqualTo("running");
        assertThat(last.path("services").path("radvd").path("detail").asText()).isEqualTo("running");
        assertThat(AgentStatus.parse(lines.get(lines.size() - 1)).services().values()).allMatch(AgentStatus.Health::healthy);
    }

    @Test
    void aShareRequestRunsExactlyOnceAcrossAgentRestarts() throws Exception {
        writeShareFile(dir.resolve("share/requests/spool-1.install"), MAC_SPOOL + "\n");
        awaitTrue(Duration.ofSeconds(10), () -> machine(MAC_SPOOL).path("state").asText().matches("requested|installing"), AgentIT::statusText);
        Path cfg = pxeConfig(MAC_SPOOL);
        // the state changes in memory at once; the install-disk thread then saves it and writes the per-MAC config
        awaitTrue(Duration.ofSeconds(5), () -> Files.exists(cfg), AgentIT::statusText);
        // the node installs and calls back, from its own address
        String node = address(MAC_SPOOL);
        clientAs(MAC_SPOOL, node);
        String token = token(curl(node, "-fsS", "http://" + SERVER + "/ks/" + pxeName(MAC_SPOOL)).stdout());
        assertThat(code(node, "-X", "POST", "--data", "token=" + token, "http://" + SERVER + "/boot-default/" + pxeName(MAC_SPOOL))).isEqualTo("200");
        assertThat(cfg).doesNotExist();

        int startsBefore = starts();
        agent.close();
        startAgent();
        awaitTrue(Duration.ofSeconds(40), () -> status().path("ready").asBoolean(false) && starts() == startsBefore + 1, AgentIT::statusText);
        // several polls (300 ms apart) of the same request file later, it has not run again
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> !Files.exists(cfg) && machine(MAC_SPOOL).path("state").asText().equals("installed"));
        // the restarted agent found eth0's addresses in place and added nothing (idempotent network set-up)
        assertThat(agent.logText().split("\\+10\\.100\\.0\\.1/24", -1)).hasSize(2);
    }

    @Test
    void anInstallInFlightIsCompletedThroughAHeadNodeThatStartsWithAnEmptyStateDir() throws Exception {
        writeShareFile(dir.resolve("share/requests/failover-1.install"), MAC_FAILOVER + "\n");
        awaitTrue(Duration.ofSeconds(10), () -> Files.exists(pxeConfig(MAC_FAILOVER)), AgentIT::statusText);
        String node = address(MAC_FAILOVER);
        clientAs(MAC_FAILOVER, node);
        String token = token(curl(node, "-fsS", "http://" + SERVER + "/ks/" + pxeName(MAC_FAILOVER)).stdout());
        // HMAC-SHA256 under the share's key, computed here independently of the agent's code
        javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA256");
        hmac.init(new javax.crypto.spec.SecretKeySpec(java.util.HexFormat.of().parseHex(INSTALL_KEY), "HmacSHA256"));
        String expected = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hmac.doFinal(
                ("headnode-install-token-v1\ncallback\n" + MAC_FAILOVER + "\nfailover-1").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(token).isEqualTo(expected);

        // the head node is lost with its disk; its successor reads the same share with an empty state dir and tftpboot
        agent.close();
        Path successor = dir.resolve("agent-successor.conf");
        Files.writeString(successor, Files.readString(conf)
                .replace("state-dir = " + dir.resolve("state"), "state-dir = " + dir.resolve("state-successor"))
                .replace("tftp-root = " + dir.resolve("tftpboot"), "tftp-root = " + dir.resolve("tftpboot-successor"))
                .replace("dhcpd-leases = " + dir.resolve("state/dhcpd.leases"), "dhcpd-leases = " + dir.resolve("state-successor/dhcpd.leases")));
        assertThat(Files.readString(successor)).contains("state-successor", "tftpboot-successor");
        try {
            restartAgent(successor, dir.resolve("state-successor"));
            // the successor ran the request from the share itself (its own per-MAC config) and serves HTTP
            awaitTrue(Duration.ofSeconds(10), () -> machine(MAC_FAILOVER).path("state").asText().matches("requested|installing")
                    && Files.exists(dir.resolve("tftpboot-successor/pxelinux.cfg/" + pxeName(MAC_FAILOVER))), AgentIT::statusText);
            clientAs(MAC_FAILOVER, node);
            String url = "http://" + SERVER + "/boot-default/" + pxeName(MAC_FAILOVER);
            awaitTrue(Duration.ofSeconds(10), () -> code(node, "-X", "POST", "--data", "token=" + "A".repeat(43), url).equals("403"),
                    () -> "a forged token is not refused: " + statusText());
            // the installer that booted from the lost head node calls back to the successor with its token
            assertThat(code(node, "-X", "POST", "--data", "token=" + token, url)).isEqualTo("200");
            awaitTrue(Duration.ofSeconds(5), () -> machine(MAC_FAILOVER).path("state").asText().equals("installed"), AgentIT::statusText);
            assertThat(code(node, "-X", "POST", "--data", "token=" + token, url)).isEqualTo("409");
        } finally {
            restartAgent(conf, dir.resolve("state"));   // the original head node (its own state dir) for the other cases
        }
    }

    @Test
    void anInstallPowerCyclesTheNodeThroughItsBmc() throws Exception {
        // a real BMC simulator (OpenIPMI ipmi_sim) on the head node's loopback, driven by the power module over ipmitool
        Path sim = Files.createDirectories(dir.resolve("bmc"));
        Path state = Files.createDirectories(sim.resolve("state"));
        Path hook = sim.resolve("chassis.sh");
        Files.writeString(hook, String.join("\n", "#!/bin/sh", "dir=$1; shift", "case \"$1\" in 0x*) shift;; esac", "op=$1; shift",
                "if [ \"$op\" = get ]; then for p in \"$@\"; do case \"$p\" in",
                "  power) echo \"power:$(cat $dir/power 2>/dev/null || echo 1)\";; boot) echo \"boot:$(cat $dir/boot 2>/dev/null || echo default)\";;",
                "  *) echo \"invalid parm $p\"; exit 1;; esac; done; exit 0; fi",
                "while [ $# -gt 1 ]; do p=$1; v=$2; shift 2; case \"$p\" in",
                "  power) echo $v > $dir/power; echo \"power $v\" >> $dir/log;; reset) echo \"reset $v\" >> $dir/log;;",
                "  boot) echo $v > $dir/boot; echo \"boot $v\" >> $dir/log;; identify) ;; *) echo \"invalid parm $p\"; exit 1;; esac; done", ""));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(sim.resolve("lan.conf"), String.join("\n", "name \"agentsim\"", "set_working_mc 0x20", "startlan 1",
                "  addr 127.0.0.1 9623", "  priv_limit admin", "  allowed_auths_callback none md2 md5 straight",
                "  allowed_auths_user none md2 md5 straight", "  allowed_auths_operator none md2 md5 straight",
                "  allowed_auths_admin none md2 md5 straight", "  guid a123456789abcdefa123456789abcdef", "endlan",
                "chassis_control \"" + hook + " " + state + "\"", "user 2 true \"admin\" \"bmc-secret\" admin 10 none md2 md5 straight", ""));
        Files.writeString(sim.resolve("sim.emu"), String.join("\n", "mc_setbmc 0x20",
                "mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr", "sel_enable 0x20 1000 0x0a", "mc_enable 0x20", ""));
        try (Daemon bmc = hn.start("ipmi_sim", sim.resolve("sim.log"), "ipmi_sim", "-n", "-c", sim.resolve("lan.conf").toString(), "-f",
                sim.resolve("sim.emu").toString(), "-s", sim.resolve("simstate").toString())) {
            bmc.await("answer ipmitool", () -> hn.run(Duration.ofSeconds(5), "env", "IPMI_PASSWORD=bmc-secret", "ipmitool", "-I", "lanplus", "-C", "3",
                    "-H", "127.0.0.1", "-p", "9623", "-U", "admin", "-E", "-N", "1", "-R", "1", "chassis", "power", "status").exitCode() == 0,
                    Duration.ofSeconds(10));

            Path creds = dir.resolve("share/credentials.conf");
            Files.writeString(creds, MAC_BMC + " driver=ipmi user=admin secret=bmc-secret\n");
            Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
            writeShareFile(dir.resolve("share/requests/bmc-1.install"), MAC_BMC + "\n");
            awaitTrue(Duration.ofSeconds(60), () -> machine(MAC_BMC).path("detail").asText().startsWith("power-cycled"),
                    () -> statusText() + readOr(state.resolve("log")) + agent.logText());
            assertThat(machine(MAC_BMC).path("state").asText()).isEqualTo("installing");
            assertThat(Files.readAllLines(state.resolve("log"))).contains("boot pxe").containsSubsequence("power 0", "power 1");
            assertThat(pxeConfig(MAC_BMC)).exists();
            assertThat(agent.logText()).doesNotContain("bmc-secret");
        }
    }

    @Test
    void aHostThatTakesOverTheNodesAddressButNotItsMacGetsNeitherKickstartNorCallback() throws Exception {
        requestInstall(MAC_TAKEOVER);
        String node = address(MAC_TAKEOVER);
        String ks = "http://" + SERVER + "/ks/" + pxeName(MAC_TAKEOVER);
        String callback = "http://" + SERVER + "/boot-default/" + pxeName(MAC_TAKEOVER);
        clientAs(MAC_TAKEOVER, node);
        String token = token(curl(node, "-fsS", ks).stdout());
        Path cfg = pxeConfig(MAC_TAKEOVER);
        byte[] before = Files.readAllBytes(cfg);

        // the node goes quiet; the second host takes its address (and announces it, as a host bringing up an address does)
        clientAt();
        intruder.exec("ip", "addr", "add", node + "/24", "dev", "x-eth");
        announce(intruder, "x-eth", node);
        try {
            assertThat(intruderCode(node, ks)).as("kickstart to the node's address from another MAC").isEqualTo("403");
            assertThat(intruderCode(node, "-X", "POST", "--data", "token=" + token, callback)).as("callback with the stolen token").isEqualTo("403");
        } finally {
            intruder.exec("ip", "-4", "addr", "flush", "dev", "x-eth");
        }
        assertThat(agent.logText()).contains("kickstart for " + MAC_TAKEOVER + " from " + node + " refused: on the VLAN that address is held by "
                + INTRUDER_MAC);
        // the status file is published on the agent's poll, so it may still show the state from before the node's fetch
        awaitTrue(Duration.ofSeconds(10), () -> machine(MAC_TAKEOVER).path("state").asText().equals("installing"), AgentIT::statusText);
        JsonNode m = machine(MAC_TAKEOVER);
        assertThat(m.path("detail").asText()).as("the intruder's fetch counted no boot attempt").isEqualTo("installer booted (attempt 1)");
        assertThat(Files.readAllBytes(cfg)).isEqualTo(before);

        // the node comes back with its address: its callback is accepted
        clientAt(node);
        announce(client, "cl-eth", node);
        assertThat(code(node, "-X", "POST", "--data", "token=" + token, callback)).isEqualTo("200");
        assertThat(cfg).doesNotExist();
    }

    // ---- helpers

    /** A gratuitous ARP for {@code address} from {@code dev}: the VLAN's hosts (the head node) learn its MAC for it. */
    static void announce(NetworkNamespace ns, String dev, String address) {
        ns.run(Duration.ofSeconds(10), "busybox", "arping", "-U", "-c", "1", "-w", "1", "-I", dev, address);
    }

    static String intruderCode(String source, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "--max-time", "10", "--interface", source, "-sS", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        return intruder.run(Duration.ofSeconds(20), cmd.toArray(String[]::new)).stdout();
    }

    /**
     * The client plays node {@code mac}: cl-eth carries that MAC and exactly these addresses. A changed MAC is
     * announced (gratuitous ARP), as a host that comes up does, so the head node does not keep sending to the old one.
     */
    static void clientAs(String mac, String... addresses) {
        boolean changed = !client.exec("cat", "/sys/class/net/cl-eth/address").stdout().strip().equals(mac);
        if (changed) {
            client.exec("ip", "link", "set", "cl-eth", "down");
            client.exec("ip", "link", "set", "cl-eth", "address", mac);
            client.exec("ip", "link", "set", "cl-eth", "up");
        }
        clientAt(addresses);
        if (changed) {
            for (String a : addresses) {
                announce(client, "cl-eth", a);
            }
        }
    }

    /** Requests an install through the share (as the host does) and waits until the agent took it up. */
    static void requestInstall(String mac) throws Exception {
        writeShareFile(dir.resolve("share/requests/it-" + REQUESTS.incrementAndGet() + ".install"), mac + "\n");
        awaitTrue(Duration.ofSeconds(10), () -> machine(mac).path("state").asText().matches("requested|installing") && Files.exists(pxeConfig(mac)),
                AgentIT::statusText);
    }

    /** The client's cl-eth holds exactly these IPv4 addresses (/24): it plays the nodes at those addresses. */
    static void clientAt(String... addresses) {
        client.exec("ip", "-4", "addr", "flush", "dev", "cl-eth");
        for (String a : addresses) {
            client.exec("ip", "addr", "add", a + "/24", "dev", "cl-eth");
        }
    }

    /** The fixed address the agent gave {@code mac}. */
    static String address(String mac) {
        String a = machine(mac).path("address").asText();
        assertThat(a).as("address of " + mac + " in " + statusText()).isNotEmpty();
        return a;
    }

    /** pxelinux's per-MAC name: 01-52-54-00-aa-00-01. */
    static String pxeName(String mac) {
        return "01-" + mac.replace(':', '-');
    }

    static Path pxeConfig(String mac) {
        return dir.resolve("tftpboot/pxelinux.cfg/" + pxeName(mac));
    }

    static String token(String kickstart) {
        Matcher m = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(kickstart);
        assertThat(m.find()).as(kickstart).isTrue();
        return m.group(1);
    }

    /** How often the agent has started so far (each start logs "headnode-agent running" once). */
    static int starts() {
        return readOr(dir.resolve("agent.log")).split("headnode-agent running", -1).length - 1;
    }

    static void writeShareFile(Path target, String content) throws Exception {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static List<String> udhcpc() throws Exception {
        Path out = dir.resolve("lease.txt");
        Files.deleteIfExists(out);
        Path script = dir.resolve("udhcpc.sh");
        if (!Files.exists(script)) {
            Files.writeString(script, "#!/bin/sh\nif [ \"$1\" = bound ]; then printf 'ip=%s\\nsiaddr=%s\\nboot_file=%s\\n' \"$ip\" \"$siaddr\" \"$boot_file\" > "
                    + out + "; fi\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        client.run(Duration.ofSeconds(20), "busybox", "udhcpc", "-i", "cl-eth", "-n", "-q", "-f", "-t", "3", "-T", "1", "-s", script.toString());
        return Files.exists(out) ? Files.readAllLines(out) : List.of();
    }

    static CommandResult curl(String source, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "--max-time", "10", "--interface", source));
        cmd.addAll(List.of(args));
        return client.run(Duration.ofSeconds(20), cmd.toArray(String[]::new));
    }

    static String code(String source, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("-sS", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        return curl(source, cmd.toArray(String[]::new)).stdout();
    }

    /** UDP ports a scan of the public side checks: DNS, DHCP, TFTP, NTP, SNMP, IKE, syslog, DHCPv6, IPMI, SSDP, IKE NAT-T, mDNS. */
    static final String COMMON_UDP = "53,67,68,69,123,161,500,514,547,623,1900,4500,5353";

    /**
     * An nmap scan (Debian's nmap, no DNS, no ping; one retry, at least 10,000 probes a second: the namespaces are local)
     * of {@code target} from {@code ns}: the state of each port nmap lists (ports in its "ignored" state are left out).
     */
    static java.util.Map<String, String> scan(NetworkNamespace ns, String target, String... how) {
        List<String> cmd = new java.util.ArrayList<>(List.of("nmap", "-n", "-Pn", "--max-retries", "1", "--min-rate", "10000", "-oG", "-"));
        if (target.contains(":")) {
            cmd.add("-6");
        }
        cmd.addAll(List.of(how));
        cmd.add(target);
        CommandResult r = ns.run(Duration.ofSeconds(120), cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        java.util.Map<String, String> ports = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(\\d+)/([a-z|]+)/(tcp|udp)/").matcher(r.stdout());
        while (m.find()) {
            ports.put(m.group(1) + "/" + m.group(3), m.group(2));
        }
        assertThat(r.stdout()).as("nmap finished the scan of %s", target).contains("# Nmap done at");
        return ports;
    }

    static boolean reachable(String address, int port) {
        return pub.run(Duration.ofSeconds(10), "busybox", "nc", "-w", "2", address, Integer.toString(port)).exitCode() == 0;
    }

    static String readOr(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }

    static String statusText() {
        return readOr(stateDir.resolve("status.json"));
    }

    static JsonNode status() {
        try {
            return JSON.readTree(statusText().isEmpty() ? "{}" : statusText());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    static JsonNode machine(String mac) {
        for (JsonNode m : status().path("machines")) {
            if (m.path("mac").asText().equals(mac)) {
                return m;
            }
        }
        return JSON.createObjectNode();
    }

    static void awaitTrue(Duration timeout, BooleanSupplier condition, Supplier<String> why) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(condition.getAsBoolean()).as(why).isTrue());
    }
}
