package io.headnode.orchestrator.status;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.Vlan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the status channels of several head nodes at once (for {@code headnode list}): one thread per socket, at most
 * {@link #MAX_THREADS}, each read bounded by the timeout and returning at its first fresh line
 * ({@link AgentStatusReader#readFresh}), so the whole call takes about one timeout however many VLANs there are.
 */
public final class AgentStatuses {
    static final int MAX_THREADS = 16;
    /** A line older than this is stale: the agent publishes at least every {@link AgentStatus#MAX_INTERVAL_SECONDS} s. */
    public static final Duration MAX_AGE = Duration.ofSeconds(2L * AgentStatus.MAX_INTERVAL_SECONDS);

    private AgentStatuses() {
    }

    public static Map<Vlan, Optional<AgentStatus>> read(Map<Vlan, Path> sockets, Duration timeout, Instant now) throws InterruptedException {
        Map<Vlan, Optional<AgentStatus>> out = new LinkedHashMap<>();
        if (sockets.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_THREADS, sockets.size()), r -> {
            Thread t = new Thread(r, "status-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Vlan> vlans = new ArrayList<>(sockets.keySet());
            List<Callable<Optional<AgentStatus>>> reads = new ArrayList<>();
            vlans.forEach(v -> reads.add(() -> AgentStatusReader.readFresh(sockets.get(v), timeout, now, MAX_AGE)));
            List<Future<Optional<AgentStatus>>> done = pool.invokeAll(reads);
            for (int i = 0; i < vlans.size(); i++) {
                out.put(vlans.get(i), result(done.get(i)));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Optional<AgentStatus> result(Future<Optional<AgentStatus>> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return Optional.empty();   // the reader maps I/O errors to empty; anything else means "no status" too
        }
    }
}
