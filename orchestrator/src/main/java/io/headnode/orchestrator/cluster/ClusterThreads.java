package io.headnode.orchestrator.cluster;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The threads of one host's {@link ClusterMember}, owned in one place and closed together: the member's own
 * ({@code headnode-cluster-<host>}: passes, registration, fencing), the leader's ({@code headnode-leader-<host>}:
 * placement decisions, so they never wait behind the member's ZooKeeper round trips), completed installs and image
 * copies. Each is one daemon thread, so the work of each kind never overlaps itself.
 */
final class ClusterThreads implements AutoCloseable {
    private final ScheduledExecutorService member;
    private final ScheduledExecutorService leader;
    private final ScheduledExecutorService installs;
    private final ScheduledExecutorService images;

    ClusterThreads(HostId host) {
        Objects.requireNonNull(host, "host is null");
        this.member = single("headnode-cluster-" + host);
        this.leader = single("headnode-leader-" + host);
        this.installs = single("headnode-installs-" + host);
        this.images = single("headnode-images-" + host);
    }

    private static ScheduledExecutorService single(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    ScheduledExecutorService member() {
        return member;
    }

    ScheduledExecutorService leader() {
        return leader;
    }

    ScheduledExecutorService installs() {
        return installs;
    }

    ScheduledExecutorService images() {
        return images;
    }

    /** Stops every thread (interrupting work in progress); idempotent. */
    @Override
    public void close() {
        List.of(member, leader, installs, images).forEach(ScheduledExecutorService::shutdownNow);
    }
}
