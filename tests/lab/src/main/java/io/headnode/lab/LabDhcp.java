package io.headnode.lab;

import io.headnode.testing.Daemon;
import io.headnode.testing.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** DHCP for the head node's eth1 on the lab's public bridge: busybox udhcpd, in the lab namespace only. */
final class LabDhcp {
    static final String NAME = "udhcpd";
    private final LabSettings settings;
    private final LabState state;

    LabDhcp(LabSettings settings, LabState state) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.state = Objects.requireNonNull(state, "state is null");
    }

    Optional<Daemon> running() {
        return state.attach(NAME, conf().toString(), log());
    }

    /** Starts udhcpd unless it runs; waits for its pid file (written once it has bound its socket). */
    void start(NetworkNamespace ns) {
        if (running().isPresent()) {
            return;
        }
        Path dir = dir();
        try {
            Files.createDirectories(dir);
            Path leases = dir.resolve("udhcpd.leases");
            if (!Files.exists(leases)) {
                Files.createFile(leases);
            }
            Path pidFile = dir.resolve("udhcpd.pid");
            Files.deleteIfExists(pidFile);
            Files.writeString(conf(), String.join("\n",
                    "# written by headnode lab: addresses for head nodes' eth1 on " + LabSettings.PUBLIC_BRIDGE,
                    "start 192.0.2.10",
                    "end 192.0.2.99",
                    "interface " + LabSettings.PUBLIC_BRIDGE,
                    "lease_file " + leases,
                    "pidfile " + pidFile,
                    "option subnet 255.255.255.0",
                    "option lease 86400",
                    ""));
            Daemon d = ns.startDetached(NAME, log(), "busybox", "udhcpd", "-f", conf().toString());
            state.putPid(NAME, d);
            d.awaitFile(pidFile, Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare udhcpd in " + dir, e);
        }
    }

    void stop() {
        running().ifPresent(Daemon::close);
    }

    private Path dir() {
        return settings.dir().resolve("dhcp");
    }

    private Path conf() {
        return dir().resolve("udhcpd.conf");
    }

    private Path log() {
        return dir().resolve("udhcpd.log");
    }
}
