package io.headnode.lab;

import io.headnode.common.exec.CommandRunner;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.Secret;
import io.headnode.testing.Daemon;
import io.headnode.testing.NetworkNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One IPMI BMC per lab node ({@code lab-bmc.py}: pyghmi's BMC over python3-libvirt), inside the lab namespace on
 * UDP {@code 192.0.2.1:623N}. It reaches libvirtd on its unix socket, as the lab does: the head node powers its
 * nodes through its IPMI driver, as it would bare metal, and libvirtd needs no network listener. One user and a
 * random password, in {@code <dir>/bmc/auth} (0600) and in the head node's credentials.conf.
 */
final class LabBmcs {
    static final String USER = "admin";
    private static final String SCRIPT = "lab-bmc.py";
    /** Debian's own Python, where python3-pyghmi and python3-libvirt are installed (not a python3 first on PATH). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** In hex, 20 characters: IPMI 2.0's longest password (ipmitool refuses longer ones). */
    private static final int PASSWORD_BYTES = 10;
    private final LabSettings settings;
    private final LabState state;
    private final CommandRunner runner;

    LabBmcs(LabSettings settings, LabState state, CommandRunner runner) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.state = Objects.requireNonNull(state, "state is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
    }

    /** The BMCs' password: made once per lab, kept in {@code <dir>/bmc/auth}. */
    Secret password() {
        Path auth = authFile();
        try {
            if (!Files.exists(auth)) {
                Files.createDirectories(settings.bmcDir());
                byte[] random = new byte[PASSWORD_BYTES];
                new SecureRandom().nextBytes(random);
                Files.createFile(auth, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(auth, USER + " " + HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
            }
            return new Secret(Files.readString(auth, StandardCharsets.UTF_8).strip().split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the lab BMCs' password in " + auth, e);
        }
    }

    /** Starts node {@code i}'s BMC unless it runs; its domain must be defined. Waits until it listens. */
    void start(NetworkNamespace ns, int i) {
        if (running(i)) {
            return;
        }
        password();
        Path script = settings.bmcDir().resolve(SCRIPT);
        try (InputStream in = LabBmcs.class.getResourceAsStream(SCRIPT)) {
            AtomicFiles.writeIfChanged(script, Objects.requireNonNull(in, SCRIPT + " missing from the lab jar").readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + script, e);
        }
        int port = settings.bmcAddress(i).port();
        Daemon d = ns.startDetached(key(i), log(i), PYTHON, script.toString(), "--connect", settings.localUri(),
                "--domain", settings.nodeName(i), "--port", Integer.toString(port), "--auth-file", authFile().toString());
        state.putPid(key(i), d);
        d.await("listen on udp/" + port, () -> listening(ns, port), READY_TIMEOUT);
    }

    boolean running(int i) {
        return attach(i).isPresent();
    }

    Optional<Long> pid(int i) {
        return attach(i).map(Daemon::pid);
    }

    /** Stops every node's BMC that runs (by PID). */
    void stop() {
        for (int i = 1; i <= LabSettings.MAX_NODES; i++) {
            attach(i).ifPresent(Daemon::close);
        }
    }

    private Optional<Daemon> attach(int i) {
        return state.attach(key(i), "--domain " + settings.nodeName(i) + " ", log(i));
    }

    private boolean listening(NetworkNamespace ns, int port) {
        return !runner.run(ns.wrap(List.of("ss", "-H", "-uln", "sport = :" + port))).stdout().isBlank();
    }

    private Path authFile() {
        return settings.bmcDir().resolve("auth");
    }

    private Path log(int i) {
        return settings.bmcDir().resolve("node" + i + ".log");
    }

    private static String key(int i) {
        return "bmc" + i;
    }
}
