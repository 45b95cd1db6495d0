package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.contract.AgentStatus;
import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import io.headnode.testing.NetworkNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent jar, run as it runs in the guest, inside a "headnode" namespace with real dhcpd, in.tftpd and radvd;
 * a "client" namespace on the private veth plays the node, a "public" namespace on the other veth plays the
 * outside world. Everything rooted in a temp directory; namespaces and daemons are removed afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentIT {
    static final String MAC1 = "52:54:00:aa:00:01";
    static final String MAC2 = "52:54:00:aa:00:02";
    static final String UNLISTED = "52:54:00:bb:00:09";
    static final String SERVER = "10.100.0.1";
    static final String OTHER = "10.100.0.50";
    static final ObjectMapper JSON = new ObjectMapper();

    static Path dir;
    static NetworkNamespace hn;
    static NetworkNamespace client;
    static NetworkNamespace pub;
    static Daemon agent;
    static Path conf;
    static byte[] kernel;
    static String fixed1;
    static String token;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("agent-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        hn = NetworkNamespace.create();
        client = NetworkNamespace.create();
        pub = NetworkNamespace.create();
        hn.exec("ip", "link", "add", "hn-priv", "type", "veth", "peer", "name", "cl-eth", "netns", client.name());
        hn.exec("ip", "link", "add", "hn-pub", "type", "veth", "peer", "name", "pub-eth", "netns", pub.name());
        hn.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "hn-pub");
        hn.exec("ip", "addr", "add", "2001:db8::1/64", "dev", "hn-pub", "nodad");
        hn.exec("ip", "link", "set", "hn-pub", "up");
        pub.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "pub-eth");
        pub.exec("ip", "addr", "add", "2001:db8::2/64", "dev", "pub-eth", "nodad");
        pub.exec("ip", "link", "set", "pub-eth", "up");
        client.exec("ip", "link", "set", "cl-eth", "address", MAC1);
        client.exec("ip", "link", "set", "cl-eth", "up");

        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("headnode.conf"), "vlan = 100\nprivate-address = 10.100.0.1/24\nbmc-address = 10.100.1.1/24\n"
                + "power-driver = amt\ninstall-attempts = 3\ninstall-deadline = 60\n");
        Files.writeString(share.resolve("machines.txt"), MAC1 + " 127.0.0.1:9\n" + MAC2 + " 127.0.0.1:9\n");
        Path tftp = Files.createDirectories(dir.resolve("tftpboot/centos"));
        kernel = new byte[1 << 20];
        new Random(42).nextBytes(kernel);
        Files.write(tftp.resolve("vmlinuz"), kernel);
        Files.writeString(dir.resolve("secret.txt"), "outside the tree\n");
        conf = dir.resolve("agent.conf");
        Files.writeString(conf, String.join("\n",
                "share-mount = " + share, "mount-share = false", "state-dir = " + dir.resolve("state"),
                "tftp-root = " + dir.resolve("tftpboot"), "dhcp-dir = " + dir.resolve("dhcp"), "run-dir = " + dir.resolve("run"),
                "templates-dir = " + dir.resolve("templates"), "private-interface = hn-priv", "public-interface = hn-pub",
                "status-port = " + dir.resolve("status-port"), "poll-interval-ms = 300", "status-interval-ms = 2000", "http-port = 80", "http-request-timeout-ms = 3000",
                "dhcpd-leases = " + dir.resolve("state/dhcpd.leases"), "dhcpd-pid-file = " + dir.resolve("run/dhcpd.pid"), ""));
        Files.createFile(dir.resolve("status-port"));
        startAgent();
        awaitTrue(Duration.ofSeconds(40), () -> status().path("ready").asBoolean(false), () -> "agent not ready: " + statusText() + agent.logText());
        fixed1 = machine(MAC1).path("address").asText();
    }

    static void startAgent() {
        // through the launcher, with its production JVM options (-Xmx48m ...)
        agent = hn.start("agent", dir.resolve("agent.log"), "env", "HEADNODE_AGENT_JAR=" + jar(), launcher(), "run", "--config", conf.toString());
    }

    static String launcher() {
        return Path.of("../../bin/headnode-agent").toAbsolutePath().normalize().toString();
    }

    static String jar() {
        return System.getProperty("headnode.agent.jar", "target/headnode-agent.jar");
    }

    @AfterAll
    static void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {agent, client, pub, hn}) {
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
    @Order(1)
    void listedMacGetsItsFixedLeaseWithPxeOptionsAndUnlistedMacNone() throws Exception {
        assertThat(fixed1).startsWith("10.100.0.");
        assertThat(fixed1).isNotEqualTo(SERVER);
        List<String> lease = udhcpc();
        assertThat(lease).contains("ip=" + fixed1, "siaddr=" + SERVER, "boot_file=pxelinux.0");

        client.exec("ip", "link", "set", "cl-eth", "down");
        client.exec("ip", "link", "set", "cl-eth", "address", UNLISTED);
        client.exec("ip", "link", "set", "cl-eth", "up");
        assertThat(udhcpc()).isEmpty();
        client.exec("ip", "link", "set", "cl-eth", "down");
        client.exec("ip", "link", "set", "cl-eth", "address", MAC1);
        client.exec("ip", "link", "set", "cl-eth", "up");
        // from here on the client is the node at its fixed address; OTHER is a second host on the VLAN
        client.exec("ip", "addr", "add", fixed1 + "/24", "dev", "cl-eth");
        client.exec("ip", "addr", "add", OTHER + "/24", "dev", "cl-eth");
        assertThat(Files.readString(dir.resolve("dhcp/dhcpd.conf"))).contains("boot-unknown-clients false;", "hardware ethernet " + MAC1 + "; fixed-address " + fixed1);
    }

    @Test
    @Order(2)
    void installRequestWritesPerMacConfigServedOverTftp() throws Exception {
        Command.Result r = Command.run(Duration.ofSeconds(30), List.of("java", "-jar", jar(), "install", "--config", conf.toString(), MAC1));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        awaitTrue(Duration.ofSeconds(10), () -> machine(MAC1).path("state").asText().matches("requested|installing"), AgentIT::statusText);
        Path cfg = dir.resolve("tftpboot/pxelinux.cfg/01-52-54-00-aa-00-01");
        // the state changes in memory at once; the install-disk thread then saves it and writes the per-MAC config
        awaitTrue(Duration.ofSeconds(5), () -> Files.exists(cfg), AgentIT::statusText);

        Path got = dir.resolve("got-pxelinux.0");
        client.run(Duration.ofSeconds(20), "tftp", "-m", "binary", SERVER, "-c", "get", "pxelinux.0", got.toString());
        assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(Path.of("/usr/lib/PXELINUX/pxelinux.0")));
        Path gotCfg = dir.resolve("got-01");
        client.run(Duration.ofSeconds(20), "tftp", "-m", "binary", SERVER, "-c", "get", "pxelinux.cfg/01-52-54-00-aa-00-01", gotCfg.toString());
        assertThat(Files.readString(gotCfg)).contains("ks=http://" + SERVER + ":80/ks/01-52-54-00-aa-00-01", "kernel centos/vmlinuz");
        Path gotDefault = dir.resolve("got-default");
        client.run(Duration.ofSeconds(20), "tftp", "-m", "binary", SERVER, "-c", "get", "pxelinux.cfg/default", gotDefault.toString());
        assertThat(Files.readString(gotDefault)).contains("localboot 0");
    }

    @Test
    @Order(3)
    void kickstartOnlyForTheNodeAndKernelRangeOverHttp() throws Exception {
        Command.Result other = curl(OTHER, "-o", "/dev/null", "-w", "%{http_code}", "http://" + SERVER + "/ks/01-52-54-00-aa-00-01");
        assertThat(other.stdout()).isEqualTo("403");
        Command.Result ks = curl(fixed1, "-fsS", "http://" + SERVER + "/ks/01-52-54-00-aa-00-01");
        assertThat(ks.exitCode()).as(ks.stderr()).isZero();
        Matcher m = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(ks.stdout());
        assertThat(m.find()).as(ks.stdout()).isTrue();
        token = m.group(1);
        assertThat(ks.stdout()).contains("http://" + SERVER + ":80/boot-default/01-52-54-00-aa-00-01", "%post");

        Path part = dir.resolve("range.bin");
        Command.Result range = curl(fixed1, "-sS", "-o", part.toString(), "-w", "%{http_code}", "-r", "1000-1999", "http://" + SERVER + "/centos/vmlinuz");
        assertThat(range.stdout()).isEqualTo("206");
        assertThat(Files.readAllBytes(part)).isEqualTo(java.util.Arrays.copyOfRange(kernel, 1000, 2000));
        Path whole = dir.resolve("whole.bin");
        assertThat(curl(fixed1, "-sS", "-o", whole.toString(), "-w", "%{http_code}", "http://" + SERVER + "/centos/vmlinuz").stdout()).isEqualTo("200");
        assertThat(Files.readAllBytes(whole)).isEqualTo(kernel);
    }

    @Test
    @Order(4)
    void forgedReplayedForeignAndTraversalRequestsChangeNothing() throws Exception {
        Path cfg = dir.resolve("tftpboot/pxelinux.cfg/01-52-54-00-aa-00-01");
        byte[] before = Files.readAllBytes(cfg);
        String url = "http://" + SERVER + "/boot-default/01-52-54-00-aa-00-01";
        String forged = "token=" + "A".repeat(43);
        assertThat(code(fixed1, "-X", "POST", "--data", forged, url)).isEqualTo("403");
        assertThat(code(OTHER, "-X", "POST", "--data", "token=" + token, url)).isEqualTo("403");
        assertThat(code(fixed1, "-X", "GET", url)).isEqualTo("405");
        assertThat(code(fixed1, "-X", "POST", "--data", "token=" + token, "http://" + SERVER + "/boot-default/01-52-54-00-aa-00-02")).isEqualTo("403");
        assertThat(code(fixed1, "--path-as-is", "http://" + SERVER + "/../secret.txt")).isIn("400", "404");
        assertThat(code(fixed1, "--path-as-is", "http://" + SERVER + "/centos/%2e%2e/%2e%2e/secret.txt")).isIn("400", "404");
        assertThat(code(fixed1, "--path-as-is", "http://" + SERVER + "/boot-default/..%2f..%2fsecret.txt")).isIn("400", "404", "405");
        assertThat(code(fixed1, "-X", "POST", "--data", "token=" + token, "--path-as-is",
                "http://" + SERVER + "/boot-default/../boot-default/01-52-54-00-aa-00-01")).isIn("400", "404", "405");
        assertThat(code(fixed1, "-X", "POST", "--data-binary", "token=" + "x".repeat(5000), url)).isIn("413", "000");
        assertThat(Files.readAllBytes(cfg)).isEqualTo(before);
        awaitTrue(Duration.ofSeconds(5), () -> machine(MAC1).path("state").asText().equals("installing"), AgentIT::statusText);

        // a slow sender is cut off: half a request, then silence
        long start = System.nanoTime();
        Command.Result slow = client.run(Duration.ofSeconds(30), "bash", "-c",
                "exec 3<>/dev/tcp/" + SERVER + "/80; printf 'GET /pxelinux.0 HTTP/1.1\\r\\nHost: x\\r\\n' >&3; cat <&3; echo closed");
        assertThat(slow.stdout()).isEqualTo("closed\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        assertThat(code(fixed1, "-X", "POST", "--data", "token=" + token, url)).isEqualTo("200");
        assertThat(cfg).doesNotExist();
        awaitTrue(Duration.ofSeconds(5), () -> machine(MAC1).path("state").asText().equals("installed"), AgentIT::statusText);
        assertThat(code(fixed1, "-X", "POST", "--data", "token=" + token, url)).isEqualTo("409");
        assertThat(code(fixed1, "http://" + SERVER + "/ks/01-52-54-00-aa-00-01")).isEqualTo("404");
        assertThat(cfg).doesNotExist();
        assertThat(machine(MAC1).path("state").asText()).isEqualTo("installed");
    }

    @Test
    @Order(5)
    void truncatedOrInvalidMachinesTxtKeepsTheLastGoodConfig() throws Exception {
        Path conf = dir.resolve("dhcp/dhcpd.conf");
        Path machines = dir.resolve("share/machines.txt");
        byte[] good = Files.readAllBytes(conf);
        String pid = Files.readString(dir.resolve("run/dhcpd.pid")).strip();

        writeShareFile(machines, MAC1 + " 127.0.0.1:9\n" + MAC2 + " 127.0.0.1:9\n52:54:00:aa:00:03 127.0.0.1");
        awaitTrue(Duration.ofSeconds(10), () -> status().path("share").asText().startsWith("invalid: machines.txt:3: file: incomplete"), AgentIT::statusText);
        writeShareFile(machines, MAC1 + " 127.0.0.1:9\n52:54:00:zz:00:03 127.0.0.1:9\n");
        awaitTrue(Duration.ofSeconds(10), () -> status().path("share").asText().startsWith("invalid: machines.txt:2: mac:"), AgentIT::statusText);
        Thread.sleep(1000);
        assertThat(Files.readAllBytes(conf)).isEqualTo(good);
        assertThat(Files.readString(dir.resolve("run/dhcpd.pid")).strip()).isEqualTo(pid);
        assertThat(status().path("ready").asBoolean()).isTrue();
        assertThat(status().path("machines")).hasSize(2);
        assertThat(agent.logText()).contains("machines.txt:2: mac:");
        assertThat(udhcpc()).contains("ip=" + fixed1);

        writeShareFile(machines, MAC1 + " 127.0.0.1:9\n" + MAC2 + " 127.0.0.1:9\n52:54:00:aa:00:03 127.0.0.1:9\n");
        awaitTrue(Duration.ofSeconds(10), () -> status().path("machines").size() == 3, AgentIT::statusText);
        assertThat(status().path("share").asText()).isEqualTo("mounted-ro");
        assertThat(Files.readString(conf)).contains("hardware ethernet 52:54:00:aa:00:03;");
        awaitTrue(Duration.ofSeconds(10), () -> !readOr(dir.resolve("run/dhcpd.pid")).strip().equals(pid), () -> "dhcpd not restarted");
        assertThat(machine(MAC1).path("address").asText()).isEqualTo(fixed1);
    }

    @Test
    @Order(6)
    void unchangedShareRewritesAndRestartsNothing() throws Exception {
        Path conf = dir.resolve("dhcp/dhcpd.conf");
        awaitTrue(Duration.ofSeconds(10), () -> readOr(dir.resolve("run/dhcpd.pid")).strip().matches("[0-9]+"), () -> "no dhcpd pid");
        long mtime = Files.getLastModifiedTime(conf).toMillis();
        String pid = Files.readString(dir.resolve("run/dhcpd.pid")).strip();
        Thread.sleep(1500);
        assertThat(Files.getLastModifiedTime(conf).toMillis()).isEqualTo(mtime);
        assertThat(Files.readString(dir.resolve("run/dhcpd.pid")).strip()).isEqualTo(pid);
    }

    @Test
    @Order(7)
    void firewallLeavesOnlySshReachableFromThePublicSideOverIpv4AndIpv6() throws Exception {
        hn.start("ssh-stand-in", dir.resolve("nc22.log"), "busybox", "nc", "-ll", "-p", "22", "-e", "/bin/true");
        hn.start("other-listener", dir.resolve("nc8022.log"), "busybox", "nc", "-ll", "-p", "8022", "-e", "/bin/true");
        awaitTrue(Duration.ofSeconds(5), () -> hn.run(Duration.ofSeconds(5), "busybox", "nc", "-w", "1", "127.0.0.1", "8022").exitCode() == 0,
                () -> "listener did not start");
        assertThat(reachable("192.0.2.1", 22)).isTrue();
        assertThat(reachable("2001:db8::1", 22)).isTrue();
        assertThat(reachable("192.0.2.1", 8022)).isFalse();
        assertThat(reachable("2001:db8::1", 8022)).isFalse();
        assertThat(pub.run(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", "192.0.2.1").exitCode()).isNotZero();
        // the same port is open from the private side: it is the firewall that drops, not a missing listener
        assertThat(client.run(Duration.ofSeconds(5), "busybox", "nc", "-w", "2", SERVER, "8022").exitCode()).isZero();
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
    @Order(8)
    void routerAdvertisementsOnThePrivateSideHaveLifetimeZero() {
        Command.Result ra = client.run(Duration.ofSeconds(20), "rdisc6", "-1", "-w", "3000", "-r", "3", "cl-eth");
        assertThat(ra.exitCode()).as(ra.stdout() + ra.stderr()).isZero();
        assertThat(ra.stdout()).containsPattern("Router lifetime\\s*:\\s*0 ");
    }

    @Test
    @Order(9)
    void statusCommandAndPortReportTheSameState() throws Exception {
        Command.Result r = Command.run(Duration.ofSeconds(30), List.of("env", "HEADNODE_AGENT_JAR=" + jar(), launcher(), "status", "--config", conf.toString()));
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("mounted-ro", MAC1, "installed", "dhcpd", "running");
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
    @Order(10)
    void aShareRequestRunsExactlyOnceAcrossAgentRestarts() throws Exception {
        Path requests = Files.createDirectories(dir.resolve("share/requests"));
        writeShareFile(requests.resolve("r-1.install"), MAC2 + "\n");
        awaitTrue(Duration.ofSeconds(10), () -> machine(MAC2).path("state").asText().matches("requested|installing"), AgentIT::statusText);
        Path cfg2 = dir.resolve("tftpboot/pxelinux.cfg/01-52-54-00-aa-00-02");
        awaitTrue(Duration.ofSeconds(5), () -> Files.exists(cfg2), AgentIT::statusText);
        // the node installs and calls back, from its own address
        String fixed2 = machine(MAC2).path("address").asText();
        client.exec("ip", "addr", "add", fixed2 + "/24", "dev", "cl-eth");
        Matcher m = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(curl(fixed2, "-fsS", "http://" + SERVER + "/ks/01-52-54-00-aa-00-02").stdout());
        assertThat(m.find()).isTrue();
        assertThat(code(fixed2, "-X", "POST", "--data", "token=" + m.group(1), "http://" + SERVER + "/boot-default/01-52-54-00-aa-00-02")).isEqualTo("200");
        assertThat(cfg2).doesNotExist();

        agent.close();
        startAgent();
        awaitTrue(Duration.ofSeconds(40), () -> status().path("ready").asBoolean(false) && agent.logText().contains("headnode-agent running")
                && readOr(dir.resolve("agent.log")).split("headnode-agent running").length >= 3, AgentIT::statusText);
        Thread.sleep(1500);
        assertThat(cfg2).doesNotExist();
        assertThat(machine(MAC2).path("state").asText()).isEqualTo("installed");
        assertThat(machine(MAC1).path("state").asText()).isEqualTo("installed");
        assertThat(machine(MAC1).path("address").asText()).isEqualTo(fixed1);
        // the restarted agent found eth0's addresses in place and added nothing (idempotent network set-up)
        assertThat(agent.logText().split("\\+10\\.100\\.0\\.1/24", -1)).hasSize(2);
    }

    @Test
    @Order(11)
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
        hn.start("ipmi_sim", sim.resolve("sim.log"), "ipmi_sim", "-n", "-c", sim.resolve("lan.conf").toString(), "-f",
                sim.resolve("sim.emu").toString(), "-s", sim.resolve("simstate").toString());
        awaitTrue(Duration.ofSeconds(10), () -> hn.run(Duration.ofSeconds(5), "env", "IPMI_PASSWORD=bmc-secret", "ipmitool", "-I", "lanplus", "-C", "3",
                "-H", "127.0.0.1", "-p", "9623", "-U", "admin", "-E", "-N", "1", "-R", "1", "chassis", "power", "status").exitCode() == 0,
                () -> readOr(sim.resolve("sim.log")));

        String mac4 = "52:54:00:aa:00:04";
        Path creds = dir.resolve("share/credentials.conf");
        Files.writeString(creds, mac4 + " driver=ipmi user=admin secret=bmc-secret\n");
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
        writeShareFile(dir.resolve("share/machines.txt"), MAC1 + " 127.0.0.1:9\n" + MAC2 + " 127.0.0.1:9\n52:54:00:aa:00:03 127.0.0.1:9\n"
                + mac4 + " 127.0.0.1:9623\n");
        awaitTrue(Duration.ofSeconds(10), () -> machine(mac4).path("state").asText().equals("known"), AgentIT::statusText);
        writeShareFile(dir.resolve("share/requests/r-2.install"), mac4 + "\n");
        awaitTrue(Duration.ofSeconds(60), () -> machine(mac4).path("detail").asText().startsWith("power-cycled"),
                () -> statusText() + readOr(state.resolve("log")) + agent.logText());
        assertThat(machine(mac4).path("state").asText()).isEqualTo("installing");
        assertThat(Files.readAllLines(state.resolve("log"))).contains("boot pxe").containsSubsequence("power 0", "power 1");
        assertThat(dir.resolve("tftpboot/pxelinux.cfg/01-52-54-00-aa-00-04")).exists();
        assertThat(agent.logText()).doesNotContain("bmc-secret");
    }

    // ---- helpers

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

    static Command.Result curl(String source, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "--max-time", "10", "--interface", source));
        cmd.addAll(List.of(args));
        return client.run(Duration.ofSeconds(20), cmd.toArray(String[]::new));
    }

    static String code(String source, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("-sS", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        return curl(source, cmd.toArray(String[]::new)).stdout();
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
        return readOr(dir.resolve("state/status.json"));
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

    static void awaitTrue(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> why) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + timeout + ": " + why.get());
    }
}
