package io.headnode.agent.http;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts holders of something (open connections; requests in progress) in total and per client address, against a
 * total and a per-address cap, so one address cannot take all. Thread-safe.
 */
final class AddressLimiter {
    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    AddressLimiter(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts one more holder at {@code peer}; false (and nothing counted) if a cap is reached. */
    boolean tryAcquire(InetAddress peer) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return false;
        }
        boolean[] admitted = {false};
        perAddress.compute(peer, (k, n) -> {
            int open = n == null ? 0 : n;
            if (open >= maxPerAddress) {
                return n;
            }
            admitted[0] = true;
            return open + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
        }
        return admitted[0];
    }

    /** Uncounts a holder {@link #tryAcquire} admitted. */
    void release(InetAddress peer) {
        perAddress.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
        total.decrementAndGet();
    }

    int open() {
        return total.get();
    }

    int open(InetAddress peer) {
        return perAddress.getOrDefault(peer, 0);
    }
}
