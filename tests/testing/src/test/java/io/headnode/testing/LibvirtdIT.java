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

    @Test
    void aDetachedLibvirtdInANamedNamespaceIsFoundAgainByItsPidsAndStopped() throws Exception {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String name = "hnt" + ProcessHandle.current().pid() + "xd";   // swept by a later run if this JVM dies
        NetworkNamespace ns = NetworkNamespace.named(name);
        try {
            Libvirtd started = Libvirtd.startDetached(ns, tmp.resolve("lv"));
            long libvirtd = started.pid();
            long virtlogd = started.virtlogdPid();
            assertThat(sessionOf(libvirtd)).as("libvirtd leads its own session (setsid)").isEqualTo(libvirtd);
            assertThat(sessionOf(virtlogd)).isEqualTo(virtlogd);

            // what a later process knows: the namespace's name, the work dir and the two PIDs
            NetworkNamespace again = NetworkNamespace.existing(name).orElseThrow();
            assertThat(again.pids()).contains(libvirtd, virtlogd);
            assertThat(Libvirtd.attach(again, tmp.resolve("elsewhere"), virtlogd, libvirtd))
                    .as("PIDs whose command lines name another work dir are not this libvirtd").isEmpty();
            Libvirtd found = Libvirtd.attach(again, tmp.resolve("lv"), virtlogd, libvirtd).orElseThrow();
            assertThat(Command.run(Duration.ofSeconds(30), List.of("virsh", "-c", found.uri(), "list", "--all", "--name")).exitCode()).isZero();
            found.close();
            assertThat(ProcessHandle.of(libvirtd).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(ProcessHandle.of(virtlogd).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(Libvirtd.attach(again, tmp.resolve("lv"), virtlogd, libvirtd)).as("gone").isEmpty();
            again.close();
            assertThat(NetworkNamespace.exists(name)).isFalse();
            assertThat(NetworkNamespace.existing(name)).isEmpty();
        } finally {
            if (NetworkNamespace.exists(name)) {
                ns.close();
            }
        }
    }

    /** The session id of a process (field 6 of /proc/PID/stat). */
    private static long sessionOf(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }
}
