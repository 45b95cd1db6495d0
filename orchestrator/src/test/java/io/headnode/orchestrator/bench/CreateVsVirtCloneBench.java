package io.headnode.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run on demand, see docs/benchmarks/orchestrator.md): {@code headnode create} (bin/headnode as a
 * subprocess, command start to domain running; the first run includes libvirt's one-time QEMU capability probe) against {@code virt-clone} (+ start) of the same fully
 * allocated raw image, at 2 GiB and 8 GiB, on a private libvirtd in a namespace.
 */
class CreateVsVirtCloneBench {
    private static final long GIB = 1L << 30;

    @Test
    void createVersusVirtClone() throws Exception {
        findJar();
        Path launcher = Path.of("../bin/headnode").toAbsolutePath().normalize();
        Path tmp = Files.createTempDirectory(Path.of("/var/tmp"), "hnbench");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder report = new StringBuilder("| image | headnode create (s) | virt-clone (s) | virt-clone + start (s) | speed-up (clone+start / create) |\n|---|---|---|---|---|\n");
        try (NetworkNamespace ns = NetworkNamespace.create(); Libvirtd libvirtd = Libvirtd.start(ns, tmp.resolve("libvirtd"))) {
            ns.exec("ip", "link", "add", "name", "hnpub0", "type", "bridge");
            ns.exec("ip", "link", "set", "dev", "hnpub0", "up");
            Path conf = tmp.resolve("orchestrator.conf");
            Files.writeString(conf, String.join("\n", "state-dir = " + tmp.resolve("state"), "share-root = " + tmp.resolve("share"),
                    "apparmor-dir = " + tmp.resolve("apparmor.d"), "connect = " + libvirtd.uri(),
                    "network-command-prefix = ip netns exec " + ns.name(), "public-bridge = hnpub0", "default-memory-mib = 128", ""));
            int vlan = 10;
            for (int gib : List.of(2, 8)) {
                Path image = tmp.resolve("base-" + gib + "g.raw");
                Command.run(Duration.ofMinutes(10), List.of("qemu-img", "create", "-q", "-f", "raw", "-o", "preallocation=full", image.toString(), gib + "G"))
                        .orThrow();
                // real data, not zeros: copiers skip zero blocks, a guest image has none to skip
                List<String> fill = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
                for (long off = 0; off < gib * GIB; off += 256L << 20) {
                    fill.addAll(List.of("-c", "write -q -P 0xa5 " + off + " 256M"));
                }
                fill.add(image.toString());
                Command.run(Duration.ofMinutes(10), fill).orThrow();
                Command.check("sync");
                List<Double> creates = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    vlan++;
                    long t0 = System.nanoTime();
                    CommandResult r = Command.run(Duration.ofMinutes(5), List.of(launcher.toString(), "--config", conf.toString(),
                            "create", "--vlan", Integer.toString(vlan), "--image", image.toString()));
                    creates.add((System.nanoTime() - t0) / 1e9);
                    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
                    assertThat(virsh(libvirtd, "domstate", "headnode-vlan" + vlan).stdout().strip()).isEqualTo("running");
                    virsh(libvirtd, "destroy", "headnode-vlan" + vlan);
                }
                Path orig = tmp.resolve("orig-" + gib + ".xml");
                Files.writeString(orig, "<domain type='qemu'><name>orig-" + gib + "</name><memory unit='MiB'>128</memory>"
                        + "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os><devices><disk type='file' device='disk'>"
                        + "<driver name='qemu' type='raw'/><source file='" + image + "'/><target dev='vda' bus='virtio'/></disk>"
                        + "<interface type='bridge'><source bridge='hnpub0'/><model type='virtio'/></interface></devices></domain>");
                assertThat(virsh(libvirtd, "define", orig.toString()).exitCode()).isZero();
                Path clone = tmp.resolve("clone-" + gib + ".raw");
                long t0 = System.nanoTime();
                CommandResult c = Command.run(Duration.ofMinutes(10), List.of("virt-clone", "--connect", libvirtd.uri(), "--original", "orig-" + gib,
                        "--name", "clone-" + gib, "--file", clone.toString()));
                double cloneS = (System.nanoTime() - t0) / 1e9;
                assertThat(c.exitCode()).as(c.stdout() + c.stderr()).isZero();
                CommandResult s = virsh(libvirtd, "start", "clone-" + gib);
                double cloneStartS = (System.nanoTime() - t0) / 1e9;
                assertThat(s.exitCode()).as(s.stderr()).isZero();
                virsh(libvirtd, "destroy", "clone-" + gib);
                double median = creates.stream().sorted().toList().get(1);
                String line = String.format(Locale.ROOT, "| %d GiB raw, fully written (0xa5) | %.2f (runs: %s) | %.2f | %.2f | %.0fx |%n", gib, median,
                        creates.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList(), cloneS, cloneStartS, cloneStartS / median);
                report.append(line);
                System.out.print(line);
                Files.delete(clone);
                Files.delete(image);
            }
        } finally {
            Command.run(Duration.ofMinutes(2), List.of("rm", "-rf", tmp.toString()));
        }
        Path out = Path.of("target/bench-create-vs-virt-clone.md");
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    private static CommandResult virsh(Libvirtd l, String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", l.uri()));
        cmd.addAll(List.of(args));
        return Command.run(Duration.ofMinutes(2), cmd);
    }

    static Path findJar() throws Exception {
        try (var s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build the jar first (mvn package)")).toAbsolutePath();
        }
    }
}
