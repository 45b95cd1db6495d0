package io.headnode.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A private libvirtd (plus its virtlogd) that a test starts inside a {@link NetworkNamespace}.
 *
 * <p>Both daemons run in the foreground (stopped by PID). Each runs through a small wrapper that, inside the
 * mount namespace {@code ip netns exec} already creates for it, bind-mounts directories under {@code workDir}
 * over libvirt's fixed system paths ({@code /etc/libvirt}, {@code /run/libvirt}, {@code /var/lib/libvirt},
 * {@code /var/log/libvirt}, {@code /var/cache/libvirt}). So this daemon has its own config (no networks, no
 * domains, no autostart network: libvirt's "default" NAT network is never defined here), its own state, logs and
 * pid files (their own -p: root's defaults are /run/libvirtd.pid and /run/virtlogd.pid), and never meets a system libvirtd or another test's libvirtd. The mounts are invisible to the host.
 *
 * <p>Its client socket lives in {@code workDir/sock}, outside the bind mounts, so it is reachable from the host
 * namespace through {@link #uri()}. Domains' taps are created in the test's namespace; bridges they use must be
 * created there ({@code ns.exec("ip", "link", "add", ...)}).
 *
 * <p>/dev/kvm is hidden from both daemons (and their QEMUs) by a mode-000 file: KVM does not work on these machines,
 * and with the root-only /dev/kvm here libvirt would re-probe QEMU's capabilities on every define (30-60 s).
 *
 * <p>qemu runs as libvirt-qemu (DAC), security driver none (no AppArmor in this kernel). {@code workDir} is made
 * world-traversable (0755) because qemu needs to reach files under it; its parents must be traversable too.
 */
public final class Libvirtd implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SUBDIRS = List.of("etc", "run", "lib", "log", "cache", "sock");

    /** Runs CMD after binding WORKDIR/{etc,run,lib,log,cache} over libvirt's paths; data only as "$@" arguments. */
    private static final String WRAPPER = """
            #!/bin/sh
            # Usage: libvirt-private.sh WORKDIR CMD [ARG...]
            # Run by `ip netns exec`, which gives this process its own (slave) mount namespace: the bind
            # mounts below are seen only by CMD and its children (qemu), never by the host.
            set -eu
            w=$1
            shift
            # KVM does not work on these machines, and /dev/kvm is root-only: libvirt would find its QEMU
            # capability cache (probed as libvirt-qemu) inconsistent with /dev/kvm and re-probe QEMU on every
            # define (30-60 s). A mode-000 regular file over it makes "no KVM" consistent.
            if [ -e /dev/kvm ]; then mount --bind "$w/no-kvm" /dev/kvm; fi
            for pair in etc:/etc/libvirt run:/run/libvirt lib:/var/lib/libvirt log:/var/log/libvirt cache:/var/cache/libvirt; do
              src="$w/${pair%%:*}"
              dst="${pair#*:}"
              [ -d "$dst" ] || mkdir -p "$dst"
              mount --bind "$src" "$dst"
            done
            exec "$@"
            """;

    private final NetworkNamespace ns;
    private final Path workDir;
    private final Daemon virtlogd;
    private Daemon libvirtd;

    private Libvirtd(NetworkNamespace ns, Path workDir, Daemon virtlogd, Daemon libvirtd) {
        this.ns = ns;
        this.workDir = workDir;
        this.virtlogd = virtlogd;
        this.libvirtd = libvirtd;
    }

    /** Starts virtlogd and libvirtd in {@code ns}, with everything under {@code workDir}; waits for the socket. */
    public static Libvirtd start(NetworkNamespace ns, Path workDir) {
        Libvirtd l = start(ns, workDir, false);
        Cleanup.register(l);
        return l;
    }

    /**
     * Like {@link #start}, but both daemons are {@linkplain Daemon#startDetached detached}: they outlive this JVM
     * until {@link #close()} here or on the instance a later JVM gets from {@link #attach} with their PIDs.
     */
    public static Libvirtd startDetached(NetworkNamespace ns, Path workDir) {
        return start(ns, workDir, true);
    }

    /**
     * The libvirtd that {@link #startDetached} started in {@code workDir}, found again by the PIDs of its daemons;
     * empty unless both still run (the rest is for the caller to stop).
     */
    public static Optional<Libvirtd> attach(NetworkNamespace ns, Path workDir, long virtlogdPid, long libvirtdPid) {
        Path w = workDir.toAbsolutePath();
        Optional<Daemon> virtlogd = Daemon.attach("virtlogd", virtlogdPid, pidFile(w, "virtlogd").toString(), w.resolve("virtlogd.out"));
        Optional<Daemon> libvirtd = Daemon.attach("libvirtd", libvirtdPid, pidFile(w, "libvirtd").toString(), w.resolve("libvirtd.out"));
        if (virtlogd.isEmpty() || libvirtd.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Libvirtd(ns, w, virtlogd.get(), libvirtd.get()));
    }

    /** The pid file a daemon of {@code workDir} writes, which is also in its command line ({@link Daemon#attach}). */
    public static Path pidFile(Path workDir, String daemon) {
        return workDir.toAbsolutePath().resolve(daemon + ".pid");
    }

    private static Libvirtd start(NetworkNamespace ns, Path workDir, boolean detached) {
        try {
            workDir = workDir.toAbsolutePath();
            Files.createDirectories(workDir);
            setMode(workDir, "rwxr-xr-x");
            for (String d : SUBDIRS) {
                Path p = workDir.resolve(d);
                Files.createDirectories(p);
                setMode(p, "rwxr-xr-x");
            }
            Path sockDir = workDir.resolve("sock");
            if (sockDir.resolve("libvirt-sock").toString().length() > 100) {
                throw new IllegalArgumentException("workDir path too long for a unix socket: " + workDir);
            }
            Path etc = workDir.resolve("etc");
            assertNoAutostartNetwork(etc);
            Files.writeString(etc.resolve("libvirtd.conf"), String.join("\n",
                    "# written by io.headnode.testing.Libvirtd",
                    "unix_sock_dir = \"" + sockDir + "\"",
                    "unix_sock_group = \"root\"",
                    "unix_sock_ro_perms = \"0700\"",
                    "unix_sock_rw_perms = \"0700\"",
                    "unix_sock_admin_perms = \"0700\"",
                    "auth_unix_ro = \"none\"",
                    "auth_unix_rw = \"none\"",
                    "log_outputs = \"3:file:" + workDir.resolve("log/libvirtd.log") + "\"",
                    ""));
            Files.writeString(etc.resolve("virtlogd.conf"), String.join("\n",
                    "# written by io.headnode.testing.Libvirtd",
                    "log_outputs = \"3:file:" + workDir.resolve("log/virtlogd.log") + "\"",
                    ""));
            Files.writeString(etc.resolve("qemu.conf"), String.join("\n",
                    "# written by io.headnode.testing.Libvirtd",
                    "security_driver = \"none\"",
                    "stdio_handler = \"logd\"",
                    "# no private /dev per domain: it would try to move the /dev/kvm bind mount (hidden below)",
                    "namespaces = []",
                    ""));
            Path noKvm = workDir.resolve("no-kvm");
            Files.deleteIfExists(noKvm);
            Files.createFile(noKvm);
            setMode(noKvm, "---------");
            Path wrapper = workDir.resolve("libvirt-private.sh");
            Files.writeString(wrapper, WRAPPER);
            setMode(wrapper, "rwxr-xr-x");

            Files.deleteIfExists(workDir.resolve("run/virtlogd-sock"));
            Files.deleteIfExists(sockDir.resolve("libvirt-sock"));
            Daemon virtlogd = start(ns, detached, "virtlogd", workDir, wrapper);
            try {
                virtlogd.awaitFile(workDir.resolve("run/virtlogd-sock"), START_TIMEOUT);
            } catch (RuntimeException e) {
                virtlogd.close();
                throw e;
            }
            Daemon libvirtd = start(ns, detached, "libvirtd", workDir, wrapper);
            Libvirtd l = new Libvirtd(ns, workDir, virtlogd, libvirtd);
            try {
                libvirtd.awaitFile(sockDir.resolve("libvirt-sock"), START_TIMEOUT);
                Command.run(Duration.ofSeconds(30), List.of("virsh", "-c", l.uri(), "uri")).orThrow();
            } catch (RuntimeException e) {
                l.close();
                throw e;
            }
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare libvirtd in " + workDir, e);
        }
    }

    /** One of the two daemons, through the wrapper, with its own pid file; output to {@code <workDir>/<daemon>.out}. */
    private static Daemon start(NetworkNamespace ns, boolean detached, String daemon, Path workDir, Path wrapper) {
        Path out = workDir.resolve(daemon + ".out");
        String[] cmd = {wrapper.toString(), workDir.toString(), daemon, "-f", "/etc/libvirt/" + daemon + ".conf",
                "-p", pidFile(workDir, daemon).toString()};
        return detached ? ns.startDetached(daemon, out, cmd) : ns.start(daemon, out, cmd);
    }

    /** {@code qemu:///system?socket=...}: this daemon's own socket, usable from the host namespace. */
    public String uri() {
        return "qemu:///system?socket=" + socket();
    }

    public Path socket() {
        return workDir.resolve("sock/libvirt-sock");
    }

    public Path workDir() {
        return workDir;
    }

    public NetworkNamespace namespace() {
        return ns;
    }

    /** Where this libvirtd keeps per-domain qemu logs ({@code <name>.log}); seen by qemu as /var/log/libvirt/qemu. */
    public Path qemuLogDir() {
        return workDir.resolve("log/qemu");
    }

    /** The qemu log of one domain, or "" when there is none. */
    public String qemuLog(String domainName) {
        return read(qemuLogDir().resolve(domainName + ".log"));
    }

    /** libvirtd's own log (errors and warnings), for assertion messages. */
    public String logText() {
        return read(workDir.resolve("log/libvirtd.log")) + libvirtd.logText();
    }

    public long pid() {
        return libvirtd.pid();
    }

    public long virtlogdPid() {
        return virtlogd.pid();
    }

    public boolean isAlive() {
        return libvirtd.isAlive() && virtlogd.isAlive();
    }

    /**
     * A fault for fault-injection tests: SIGKILL to libvirtd alone (virtlogd and the domains' QEMU processes keep
     * running, as when the daemon crashes on a host). {@link #restartLibvirtd} brings it back.
     */
    public void killLibvirtd() {
        Command.run(Duration.ofSeconds(10), List.of("kill", "-KILL", Long.toString(libvirtd.pid())));
        libvirtd.await("exit after SIGKILL", () -> !libvirtd.isAlive(), Duration.ofSeconds(20));
    }

    /**
     * A fault for failover tests: SIGKILL to every QEMU this libvirtd started (found by the PIDs in its pid files),
     * as when the host dies; returns the PIDs killed once they are gone.
     */
    public List<Long> killQemu() {
        List<Long> killed = new ArrayList<>();
        for (long pid : qemuPids()) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(h -> h.info().command().orElse("").contains("qemu"));
            if (p.isPresent()) {
                Command.run(Duration.ofSeconds(10), List.of("kill", "-KILL", Long.toString(pid)));
                killed.add(pid);
            }
        }
        for (long pid : killed) {
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join());
        }
        return killed;
    }

    /** A new libvirtd on the same directories (it finds the running domains again); waits until it answers. */
    public void restartLibvirtd() {
        try {
            Files.deleteIfExists(workDir.resolve("sock/libvirt-sock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        libvirtd = start(ns, false, "libvirtd", workDir, workDir.resolve("libvirt-private.sh"));
        libvirtd.awaitFile(workDir.resolve("sock/libvirt-sock"), START_TIMEOUT);
        Command.run(Duration.ofSeconds(30), List.of("virsh", "-c", uri(), "uri")).orThrow();
    }

    /** Stops libvirtd, then the qemu processes it started (by the PIDs in its pid files), then virtlogd. */
    @Override
    public void close() {
        Cleanup.unregister(this);
        List<Long> qemuPids = qemuPids();
        libvirtd.close();
        for (long pid : qemuPids) {
            io.headnode.common.exec.Daemon.attach("qemu", pid, "qemu", qemuLogDir(), Clock.systemUTC())
                    .ifPresent(q -> q.stop(Duration.ofSeconds(10)));
        }
        virtlogd.close();
    }

    private List<Long> qemuPids() {
        List<Long> pids = new ArrayList<>();
        Path dir = workDir.resolve("run/qemu");
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                try {
                    pids.add(Long.parseLong(Files.readString(f).trim()));
                } catch (IOException | NumberFormatException e) {
                    // a half-written pid file: nothing to stop
                }
            }
        } catch (IOException e) {
            // nothing to stop
        }
        return pids;
    }

    private static void assertNoAutostartNetwork(Path etc) throws IOException {
        Path autostart = etc.resolve("qemu/networks/autostart");
        if (Files.isDirectory(autostart)) {
            try (Stream<Path> s = Files.list(autostart)) {
                List<Path> found = s.toList();
                if (!found.isEmpty()) {
                    throw new IllegalStateException("refusing to start libvirtd: autostart networks in " + autostart + ": " + found);
                }
            }
        }
    }

    private static void setMode(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "libvirtd[" + libvirtd.pid() + "] in " + ns + " at " + socket();
    }
}
