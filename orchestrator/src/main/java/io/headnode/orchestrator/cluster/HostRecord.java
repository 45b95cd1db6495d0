package io.headnode.orchestrator.cluster;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a host registers in its ephemeral node: its capacity (for the {@link Placer}), the bridges it can serve VLANs
 * on, and how many head nodes it runs now. Encoded as {@code key = value} lines.
 */
public record HostRecord(HostCapacity capacity, List<String> bridges, int running) {
    private static final Set<String> KEYS = Set.of("free-memory-mib", "headnode-limit", "draining", "bridges", "running");

    public HostRecord {
        Objects.requireNonNull(capacity, "capacity is null");
        bridges = List.copyOf(bridges);
        if (running < 0) {
            throw new IllegalArgumentException("running " + running + " is negative");
        }
    }

    public HostId host() {
        return capacity.host();
    }

    public byte[] encode() {
        return ("free-memory-mib = " + capacity.freeMemoryMib() + "\n"
                + "headnode-limit = " + capacity.headnodeLimit() + "\n"
                + "draining = " + capacity.draining() + "\n"
                + "bridges = " + String.join(" ", bridges) + "\n"
                + "running = " + running + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static HostRecord decode(HostId host, String path, byte[] data) throws KvException {
        KvFile f = KvFile.parse(path, data, 64 * 1024);
        f.requireKnown(KEYS);
        long free = f.get("free-memory-mib", KvValues::longNumber, 0L);
        int limit = f.get("headnode-limit", KvValues::wholeNumber, 0);
        boolean draining = f.get("draining", KvValues::bool, false);
        List<String> bridges = f.get("bridges", KvValues::words, List.of());
        int running = f.get("running", KvValues::wholeNumber, 0);
        return f.build(() -> new HostRecord(new HostCapacity(host, free, limit, draining), bridges, running));
    }
}
