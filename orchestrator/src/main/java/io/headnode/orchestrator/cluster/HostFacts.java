package io.headnode.orchestrator.cluster;

import io.headnode.orchestrator.config.ClusterConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a host registers about itself: its name in the fleet and the memory free for head nodes. */
public final class HostFacts {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private HostFacts() {
    }

    /** {@code cluster-host}, else the machine's host name (lower case, up to the first dot). */
    public static HostId hostId(ClusterConfig config) throws IOException {
        if (!config.host().isEmpty()) {
            return new HostId(config.host());
        }
        String name = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        try {
            return new HostId(name);
        } catch (IllegalArgumentException e) {
            throw new IOException("this machine's host name '" + name + "' is not usable in the fleet: set cluster-host", e);
        }
    }

    /** MemAvailable from /proc/meminfo, in MiB; 0 when it cannot be read (the host then takes no head node). */
    public static long freeMemoryMib() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] w = line.split("\\s+");
                    return Long.parseLong(w[1]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
