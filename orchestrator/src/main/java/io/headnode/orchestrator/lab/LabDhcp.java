package io.headnode.orchestrator.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** DHCP for the head node's eth1 on the lab's public bridge: busybox udhcpd, in the lab namespace only. */
final class LabDhcp {
    static final String NAME = "udhcpd";
    private final LabSettings settings;
    private final LabState state;

    LabDhcp(LabSettings settings, LabState state) {
        this.settings = settings;
        this.state = state;
    }

    boolean running() {
        return state.pid(NAME).flatMap(p -> LabDaemons.alive(p, "busybox")).isPresent();
    }

    void start() {
        if (running()) {
            return;
        }
        Path dir = settings.dir().resolve("dhcp");
        try {
            Files.createDirectories(dir);
            Path leases = dir.resolve("udhcpd.leases");
            if (!Files.exists(leases)) {
                Files.createFile(leases);
            }
            Path conf = dir.resolve("udhcpd.conf");
            Files.writeString(conf, String.join("\n",
                    "# written by headnode lab: addresses for head nodes' eth1 on " + LabSettings.PUBLIC_BRIDGE,
                    "start 192.0.2.10",
                    "end 192.0.2.99",
                    "interface " + LabSettings.PUBLIC_BRIDGE,
                    "lease_file " + leases,
                    "pidfile " + dir.resolve("udhcpd.pid"),
                    "option subnet 255.255.255.0",
                    "option lease 86400",
                    ""));
            long pid = LabDaemons.start(settings.namespace(), dir.resolve("udhcpd.log"), List.of("busybox", "udhcpd", "-f", conf.toString()));
            state.put("pid." + NAME, Long.toString(pid));
            LabDaemons.sleep(Duration.ofMillis(200));
            if (!running()) {
                throw new LabException("udhcpd exited at once: " + LabDaemons.tail(dir.resolve("udhcpd.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare udhcpd in " + dir, e);
        }
    }

    void stop() {
        state.pid(NAME).ifPresent(p -> LabDaemons.stop(p, "busybox", Duration.ofSeconds(5)));
    }
}
