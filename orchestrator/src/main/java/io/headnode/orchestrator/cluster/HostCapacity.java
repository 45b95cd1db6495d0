package io.headnode.orchestrator.cluster;

import java.util.Objects;

/**
 * What one live host offers, as it registers it: memory free for head nodes, the most head nodes it may run, and
 * whether it is draining (it keeps what it runs until the leader moves it, and takes nothing new).
 */
public record HostCapacity(HostId host, long freeMemoryMib, int headnodeLimit, boolean draining) {
    public HostCapacity {
        Objects.requireNonNull(host, "host is null");
        if (freeMemoryMib < 0) {
            throw new IllegalArgumentException("free memory " + freeMemoryMib + " MiB is negative");
        }
        if (headnodeLimit < 0 || headnodeLimit > 4094) {
            throw new IllegalArgumentException("head node limit " + headnodeLimit + " is outside 0..4094");
        }
    }
}
