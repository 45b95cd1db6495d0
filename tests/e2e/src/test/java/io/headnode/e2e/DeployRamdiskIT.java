package io.headnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy ramdisk and the Debian node image (guest-image/image/build-node-image.sh) under TCG, without a head node:
 * a BIOS QEMU node boots Debian's signed kernel with the deploy ramdisk (parameters on the kernel command line), streams
 * the node image from an HTTP server of this test on 127.0.0.1 (reached through QEMU's user network with {@code
 * restrict=on}: the guest reaches nothing but the one forwarded address, which is this JVM's loopback server), checks
 * its sha256 on the disk, grows the root partition, writes the first-boot seed and posts the callback; the node then
 * boots the disk, shows a login prompt with its hostname and posts its first-boot report with its token. A served image
 * with one byte flipped gives a failed callback with a checksum reason and a disk that no longer boots.
 * Timings go to stdout and target/deploy-timings.txt.
 */
class DeployRamdiskIT {
    private static final Path HOME = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    private static final Path CACHE = Path.of(System.getProperty("headnode.nodeImageCache", "/var/cache/headnode/node-image"));
    private static final String SERVER = "10.0.2.100";

    private HttpServer http;
    private Path image;
    private Path dir;
    private volatile boolean corrupt;
    private final ConcurrentLinkedQueue<String> posts = new ConcurrentLinkedQueue<>();
    private final List<String> timings = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("hn-deploy");
        CommandResult build = Command.run(Duration.ofMinutes(20), List.of(HOME.resolve("guest-image/image/build-node-image.sh").toString(),
                "--cache", CACHE.toString())).orThrow();
        image = Path.of(build.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.createContext("/img", this::serveImage);
        http.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            posts.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + new String(body, StandardCharsets.US_ASCII));
            reply(ex, 200, "ok\n");
        });
        http.start();
    }

    @AfterEach
    void stop() throws IOException {
        http.stop(0);
        Files.writeString(HOME.resolve("tests/e2e/target/deploy-timings.txt"), String.join("\n", timings) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Command.run("rm", "-rf", dir.toString());
    }

    @Test
    void theRamdiskWritesAndChecksTheImageAndTheNodeBootsItAndReports() throws Exception {
        Path disk = blankDisk("good");
        long t0 = System.nanoTime();
        String console = deploy(disk, "tok-good");
        double deploySeconds = seconds(t0);
        assertThat(console).contains("headnode-deploy: sha256 verified", "partition 3 grown to the end of /dev/vda",
                "first-boot seed written (hostname testnode)", "headnode-deploy: callback accepted");
        assertThat(posts).containsExactly("POST /cb token=tok-good&result=ok");
        timings.add(String.format("deploy of %d MiB: %.1f s from QEMU start to the callback (%s)", size() >> 20, deploySeconds, LabEndToEndIT.phases(console)));

        // first boot from the disk (SeaBIOS -> syslinux on the ESP -> Debian): login prompt with the hostname, then the report
        long t1 = System.nanoTime();
        Path log = dir.resolve("boot.console");
        Process qemu = new ProcessBuilder(qemu(disk, log, List.of("-boot", "c"))).redirectErrorStream(true)
                .redirectOutput(dir.resolve("boot.qemu").toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> posts.stream().anyMatch(p -> p.startsWith("POST /report ")));
            double reportSeconds = seconds(t1);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> Files.readString(log).contains("testnode login:"));
            timings.add(String.format("first boot: report %.1f s after QEMU start, login prompt at %.1f s", reportSeconds, seconds(t1)));
        } finally {
            qemu.destroy();
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly().waitFor();
            }
        }
        assertThat(posts).contains("POST /report token=rtok-good&hostname=testnode");
        String boot = Files.readString(log);
        // SeaBIOS -> gptmbr -> the ESP's syslinux -> the signed kernel and initrd from the ESP -> Debian with the seeded hostname
        assertThat(boot).contains("SYSLINUX 6.04", "Loading /vmlinuz... ok", "Debian GNU/Linux 12 testnode ttyS0", "testnode login:");
        timings.forEach(System.out::println);
    }

    @Test
    void aCorruptedImageFailsWithAChecksumReasonAndLeavesNoBootableDisk() throws Exception {
        corrupt = true;
        Path disk = blankDisk("bad");
        String console = deploy(disk, "tok-bad");
        assertThat(console).contains("headnode-deploy: FAILED: checksum: sha256 of the written image is", "disk /dev/vda wiped");
        assertThat(posts).hasSize(1);
        assertThat(posts.peek()).startsWith("POST /cb token=tok-bad&result=failed&reason=checksum:");
        // no boot code or partition table is left: the first MiB is zeros
        Path first = dir.resolve("first-mib.raw");
        Command.check("qemu-img", "dd", "-f", "qcow2", "-O", "raw", "bs=1048576", "count=1", "if=" + disk, "of=" + first);
        byte[] head = Files.readAllBytes(first);
        assertThat(head).hasSizeGreaterThan(0).containsOnly((byte) 0);
        timings.add("corrupted image: " + LabEndToEndIT.phases(console));
        timings.forEach(System.out::println);
    }

    private String deploy(Path disk, String token) throws Exception {
        Map<String, String> m = manifest();
        String cmdline = String.join(" ", "console=ttyS0,115200",
                "hn.image_url=http://" + SERVER + "/img",
                "hn.image_sha256=" + m.get("sha256.debian-12-node.raw"),
                "hn.image_size=" + m.get("size.debian-12-node.raw"),
                "hn.callback=http://" + SERVER + "/cb", "hn.token=" + token,
                "hn.report_url=http://" + SERVER + "/report", "hn.report_token=r" + token,
                "hn.hostname=testnode", "hn.reboot=0");
        Path log = dir.resolve(disk.getFileName() + ".deploy.console");
        List<String> cmd = qemu(disk, log, List.of("-kernel", image.resolve("vmlinuz").toString(),
                "-initrd", image.resolve("deploy-initrd.img").toString(), "-append", cmdline));
        CommandResult r = Command.run(Duration.ofMinutes(10), cmd);
        assertThat(r.exitCode()).as("qemu: %s", r.stderr()).isZero();
        return Files.readString(log);
    }

    /** A BIOS node, 256 MiB, the disk on virtio, one NIC on QEMU's user network that reaches only {@link #SERVER}. */
    private List<String> qemu(Path disk, Path console, List<String> boot) {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "pc,accel=tcg", "-m", "256", "-no-reboot",
                "-display", "none", "-monitor", "none", "-serial", "file:" + console,
                "-drive", "file=" + disk + ",if=virtio,format=qcow2",
                "-netdev", "user,id=n0,restrict=on,guestfwd=tcp:" + SERVER + ":80-cmd:busybox nc 127.0.0.1 " + http.getAddress().getPort(),
                "-device", "virtio-net-pci,netdev=n0"));
        cmd.addAll(boot);
        return cmd;
    }

    private Path blankDisk(String name) {
        Path disk = dir.resolve(name + ".qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "2G");
        return disk;
    }

    private void serveImage(HttpExchange ex) throws IOException {
        Path raw = image.resolve("debian-12-node.raw");
        long size = Files.size(raw);
        ex.sendResponseHeaders(200, size);
        try (InputStream in = Files.newInputStream(raw); OutputStream out = ex.getResponseBody()) {
            byte[] buf = new byte[1 << 20];
            long sent = 0;
            for (int n; (n = in.read(buf)) > 0; sent += n) {
                if (corrupt && sent <= (64L << 20) && (64L << 20) < sent + n) {
                    int at = (int) ((64L << 20) - sent);
                    buf[at] ^= 0x01;   // one byte flipped, 64 MiB in
                }
                out.write(buf, 0, n);
            }
        }
    }

    private long size() throws IOException {
        return Files.size(image.resolve("debian-12-node.raw"));
    }

    private Map<String, String> manifest() throws IOException {
        Map<String, String> m = new java.util.HashMap<>();
        for (String line : Files.readAllLines(image.resolve("manifest"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
