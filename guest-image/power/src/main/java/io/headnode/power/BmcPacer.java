package io.headnode.power;

import io.headnode.contract.BmcAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps a minimum interval between two commands to the same BMC (BMCs are slow and fragile), across all threads
 * of this process. Calls to one BMC are serialized; different BMCs do not wait for each other.
 */
public final class BmcPacer {
    private final Duration minInterval;
    private final Ticker ticker;
    private final ConcurrentMap<BmcAddress, Slot> slots = new ConcurrentHashMap<>();

    private static final class Slot {
        long lastNanos;
        boolean used;
    }

    public BmcPacer(Duration minInterval, Ticker ticker) {
        this.minInterval = Objects.requireNonNull(minInterval, "minInterval is null");
        this.ticker = Objects.requireNonNull(ticker, "ticker is null");
    }

    /** Runs {@code call} once the BMC's interval has passed; no other call to this BMC runs meanwhile. */
    public <T, E extends Exception> T paced(BmcAddress bmc, PacedCall<T, E> call) throws E, InterruptedException {
        Slot slot = slots.computeIfAbsent(bmc, b -> new Slot());
        synchronized (slot) {
            if (slot.used) {
                long wait = minInterval.toNanos() - (ticker.nanoTime() - slot.lastNanos);
                if (wait > 0) {
                    ticker.sleep(Duration.ofNanos(wait));
                }
            }
            try {
                return call.run();
            } finally {
                slot.used = true;
                slot.lastNanos = ticker.nanoTime();
            }
        }
    }

    public interface PacedCall<T, E extends Exception> {
        T run() throws E;
    }
}
