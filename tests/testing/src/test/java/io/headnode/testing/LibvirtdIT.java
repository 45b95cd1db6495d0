package io.headnode.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibvirtdIT {
    @TempDir
    Path tmp;

    @Test
    void startsAPrivateLibvirtdReachableFromTheHostWithNoNetworks() throws Exception {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (NetworkNamespace ns = NetworkNamespace.create(); Libvirtd libvirtd = Libvirtd.start(ns, tmp.resolve("lv"))) {
            assertThat(libvirtd.uri()).startsWith("qemu:///system?socket=" + tmp);
            CommandResult nets = Command.run(Duration.ofSeconds(30),
                    List.of("virsh", "-c", libvirtd.uri(), "net-list", "--all", "--name"));
            assertThat(nets.exitCode()).isZero();
            assertThat(nets.stdout()).isBlank();
            CommandResult doms = Command.run(Duration.ofSeconds(30),
                    List.of("virsh", "-c", libvirtd.uri(), "list", "--all", "--name"));
            assertThat(doms.stdout()).isBlank();
            // the bind mounts stay inside the daemon's own mount namespace
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(tmp.toString());
            assertThat(Files.isDirectory(tmp.resolve("lv/run/qemu"))).as("qemu driver state under workDir").isTrue();
            long pid = libvirtd.pid();
            libvirtd.close();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }
}
