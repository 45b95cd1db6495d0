package io.headnode.orchestrator;

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

/**
 * A test host on a private libvirtd in a network namespace this fixture creates (public bridge {@code hnpub0} there,
 * no uplink), with an empty 64 MiB qcow2 as the image (SeaBIOS keeps a head node on it running). Closing stops the
 * head nodes, libvirtd and the namespace and removes the temp dir.
 */
public final class PrivateLibvirtdHost implements AutoCloseable {
    public final Path tmp;
    public final NetworkNamespace ns;
    public final TestHost host;
    public final Path image;
    private Libvirtd libvirtd;

    private PrivateLibvirtdHost(Path tmp, NetworkNamespace ns, Libvirtd libvirtd) throws Exception {
        this.tmp = tmp;
        this.ns = ns;
        this.libvirtd = libvirtd;
        ns.exec("ip", "link", "add", "name", "hnpub0", "type", "bridge");
        ns.exec("ip", "link", "set", "dev", "hnpub0", "up");
        Files.createDirectories(tmp.resolve("host"));
        host = new TestHost(tmp.resolve("host"), libvirtd.uri(), List.of("ip", "netns", "exec", ns.name()), "hnpub0");
        image = tmp.resolve("base.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M");
    }

    public static PrivateLibvirtdHost start(String prefix) throws Exception {
        Path tmp = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        NetworkNamespace ns = NetworkNamespace.create();
        try {
            return new PrivateLibvirtdHost(tmp, ns, Libvirtd.start(ns, tmp.resolve("libvirtd")));
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    public Libvirtd libvirtd() {
        return libvirtd;
    }

    /** Stops libvirtd (and its QEMU processes) and starts it again on the same socket, so the same URI. */
    public Libvirtd restartLibvirtd() {
        libvirtd.close();
        libvirtd = Libvirtd.start(ns, tmp.resolve("libvirtd"));
        return libvirtd;
    }

    /** {@code headnode create --vlan N} on the image, which must succeed. */
    public void createHeadNode(int vlan) {
        TestHost.Run r = host.cli("create", "--vlan", Integer.toString(vlan), "--image", image.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    public CommandResult virsh(String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", libvirtd.uri()));
        cmd.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), cmd);
    }

    /** The shaded jar of this module (built by the package phase before the ITs). */
    public static Path jar() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow().toAbsolutePath();
        }
    }

    @Override
    public void close() {
        try {
            for (String name : virsh("list", "--name").stdout().split("\n")) {
                if (!name.isBlank()) {
                    virsh("destroy", name.strip());
                }
            }
            libvirtd.close();
        } finally {
            ns.close();
            Command.run("rm", "-rf", tmp.toString());
        }
    }
}
