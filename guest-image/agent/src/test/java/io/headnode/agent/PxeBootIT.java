package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real network boot against the agent: QEMU (TCG) with SeaBIOS and iPXE in a "client" namespace, bridged to the
 * agent's private veth. Default: PXELINUX boots the local disk. After an install request: PXELINUX takes the
 * per-MAC config and loads the installer kernel (a dummy here, so "Booting kernel failed"). After the installer's
 * callback: the local disk again. Also shows the router advertisement at work (iPXE does not wait ~15 s for one).
 */
class PxeBootIT {
    static final String MAC = "52:54:00:aa:00:07";
    static final String SERVER = "10.101.0.1";
    static Path dir;
    static NetworkNamespace hn;
    static NetworkNamespace client;
    static Daemon agent;
    static Path conf;
    static Duration configureToNextServer;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("pxe-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        hn = NetworkNamespace.create();
        client = NetworkNamespace.create();
        hn.exec("ip", "link", "add", "hn-priv", "type", "veth", "peer", "name", "cl-eth", "netns", client.name());
        hn.exec("ip", "link", "add", "hn-pub", "type", "veth", "peer", "name", "hn-pub-peer");
        client.exec("ip", "link", "add", "br0", "type", "bridge");
        client.exec("ip", "link", "set", "cl-eth", "master", "br0");
        client.exec("ip", "tuntap", "add", "dev", "tap0", "mode", "tap");
        client.exec("ip", "link", "set", "tap0", "master", "br0");
        for (String dev : List.of("cl-eth", "tap0", "br0")) {
            client.exec("ip", "link", "set", dev, "up");
        }
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("headnode.conf"), "vlan = 101\nprivate-address = " + SERVER + "/24\n");
        Files.writeString(share.resolve("machines.txt"), MAC + " 127.0.0.1:9\n");
        Path centos = Files.createDirectories(dir.resolve("tftpboot/centos"));
        Files.write(centos.resolve("vmlinuz"), new byte[64 * 1024]);
        Files.write(centos.resolve("initrd.img"), new byte[4096]);
        conf = dir.resolve("agent.conf");
        Files.writeString(conf, String.join("\n",
                "share-mount = " + share, "mount-share = false", "state-dir = " + dir.resolve("state"),
                "tftp-root = " + dir.resolve("tftpboot"), "dhcp-dir = " + dir.resolve("dhcp"), "run-dir = " + dir.resolve("run"),
                "private-interface = hn-priv", "public-interface = hn-pub", "manage-firewall = false",
                "status-port = " + dir.resolve("port"), "poll-interval-ms = 300",
                "dhcpd-leases = " + dir.resolve("state/dhcpd.leases"), "dhcpd-pid-file = " + dir.resolve("run/dhcpd.pid"), ""));
        agent = hn.start("agent", dir.resolve("agent.log"), "java", "-Xmx64m", "-XX:+UseSerialGC", "-jar", AgentIT.jar(), "run", "--config", conf.toString());
        await(Duration.ofSeconds(40), () -> read(dir.resolve("state/status.json")).contains("\"ready\":true"), () -> read(dir.resolve("agent.log")));
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {agent, client, hn}) {
            if (c != null) {
                c.close();
            }
        }
        Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
        for (String f : List.of("agent.log", "boot-1.serial", "boot-2.serial", "boot-3.serial")) {
            if (Files.exists(dir.resolve(f))) {
                Files.copy(dir.resolve(f), reports.resolve("PxeBootIT-" + f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void defaultBootsDiskInstallBootsInstallerCallbackBootsDiskAgain() throws Exception {
        String first = boot(1, "Booting from local disk");
        assertThat(first).contains("Next server: " + SERVER, "Filename: pxelinux.0", "PXELINUX 6.04");
        // iPXE waits ~15 s for an IPv6 router advertisement unless one comes: the RA (lifetime 0) cuts that wait
        assertThat(configureToNextServer).as("iPXE network configuration time").isLessThan(Duration.ofSeconds(8));

        CommandResult r = Command.run(Duration.ofSeconds(30), List.of("java", "-jar", AgentIT.jar(), "install", "--config", conf.toString(), MAC));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        await(Duration.ofSeconds(10), () -> Files.exists(dir.resolve("tftpboot/pxelinux.cfg/01-52-54-00-aa-00-07")), () -> read(dir.resolve("agent.log")));
        String second = boot(2, "Booting kernel failed");
        assertThat(second).doesNotContain("Booting from local disk");

        // the installer's callback, from the node's address and MAC (the VM is off now; a veth port of br0 in the
        // client namespace takes both: the agent answers only the MAC that holds the node's address)
        String address = fixedAddress();
        client.exec("ip", "link", "add", "cb0", "type", "veth", "peer", "name", "cb1");
        client.exec("ip", "link", "set", "cb1", "master", "br0");
        client.exec("ip", "link", "set", "cb1", "up");
        client.exec("ip", "link", "set", "cb0", "address", MAC);
        client.exec("ip", "addr", "add", address + "/24", "dev", "cb0");
        client.exec("ip", "link", "set", "cb0", "up");
        CommandResult ks = client.run(Duration.ofSeconds(20), "curl", "-fsS", "--max-time", "10", "--interface", address,
                "http://" + SERVER + "/ks/01-52-54-00-aa-00-07");
        Matcher m = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(ks.stdout());
        assertThat(m.find()).as(ks.stdout() + ks.stderr()).isTrue();
        CommandResult cb = client.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "--interface", address, "-o", "/dev/null", "-w", "%{http_code}",
                "-X", "POST", "--data", "token=" + m.group(1), "http://" + SERVER + "/boot-default/01-52-54-00-aa-00-07");
        assertThat(cb.stdout()).isEqualTo("200");
        client.exec("ip", "link", "delete", "cb0");
        assertThat(dir.resolve("tftpboot/pxelinux.cfg/01-52-54-00-aa-00-07")).doesNotExist();
        boot(3, "Booting from local disk");
    }

    static String fixedAddress() throws Exception {
        for (String line : Files.readAllLines(dir.resolve("state/addresses.txt"))) {
            if (line.startsWith(MAC + " ")) {
                return line.split(" ")[1];
            }
        }
        throw new AssertionError("no address for " + MAC);
    }

    /** Boots the VM once from the network; returns the serial console text once it shows {@code expect}. */
    static String boot(int n, String expect) throws Exception {
        Path serial = dir.resolve("boot-" + n + ".serial");
        try (Daemon qemu = client.start("qemu-" + n, dir.resolve("qemu-" + n + ".log"), "qemu-system-x86_64", "-M", "pc,graphics=off", "-m", "128",
                "-display", "none", "-serial", "file:" + serial, "-boot", "n", "-no-reboot",
                "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no", "-device", "virtio-net-pci,netdev=n0,mac=" + MAC)) {
            long[] configuring = {0};
            long[] nextServer = {0};
            await(Duration.ofSeconds(60), () -> {
                String text = console(serial);
                if (configuring[0] == 0 && text.contains("Configuring (net0")) {
                    configuring[0] = System.nanoTime();
                }
                if (nextServer[0] == 0 && text.contains("Next server:")) {
                    nextServer[0] = System.nanoTime();
                }
                return text.contains(expect);
            }, () -> "boot " + n + " never showed '" + expect + "': " + console(serial) + "\n" + read(dir.resolve("qemu-" + n + ".log")));
            configureToNextServer = Duration.ofNanos(nextServer[0] - configuring[0]);
            return console(serial);
        }
    }

    /** The serial console without terminal escape sequences and line breaks. */
    static String console(Path serial) {
        return read(serial).replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replace("\r", "").replace("\n", "");
    }

    static String read(Path p) {
        try {
            return Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            return "";
        }
    }

    static void await(Duration timeout, java.util.function.BooleanSupplier c, java.util.function.Supplier<String> why) {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(c.getAsBoolean()).as(why).isTrue());
    }
}
