package io.headnode.power.batch;

import com.google.inject.Inject;
import io.headnode.contract.Machine;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerSettings;
import io.headnode.power.PowerState;
import io.headnode.power.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one power operation on many machines: at most {@code parallelism} at once, power-on style operations
 * started {@code stagger} apart (so a rack does not draw inrush current at once), each machine's result kept.
 * Per-BMC pacing, timeouts and retries are the service's (see PowerOperations); this class only schedules.
 */
public final class PowerBatch {
    private final PowerSettings settings;
    private final Ticker ticker;

    /** One machine's outcome and how long it took. */
    public record Result(Machine machine, PowerOutcome outcome, Duration took) {
        public Result {
            Objects.requireNonNull(machine, "machine is null");
            Objects.requireNonNull(outcome, "outcome is null");
            Objects.requireNonNull(took, "took is null");
        }
    }

    @Inject
    public PowerBatch(PowerSettings settings, Ticker ticker) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.ticker = Objects.requireNonNull(ticker, "ticker is null");
    }

    /** Runs {@code op} on every machine; results in the order of {@code machines}. {@code staggered}: power-on style. */
    public List<Result> run(List<Machine> machines, boolean staggered, Function<Machine, PowerOutcome> op) throws InterruptedException {
        int threads = Math.max(1, Math.min(settings.parallelism(), machines.size()));
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "power-batch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long start = ticker.nanoTime();
        try {
            List<Future<Result>> futures = new ArrayList<>();
            StaggerGate gate = new StaggerGate(staggered ? settings.stagger() : Duration.ZERO, ticker);
            for (Machine m : machines) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    long t0 = ticker.nanoTime();
                    PowerOutcome o;
                    try {
                        o = op.apply(m);
                    } catch (RuntimeException e) {
                        o = new PowerOutcome(PowerOutcome.Kind.REFUSED, PowerState.UNKNOWN, "failed: " + e);
                    }
                    return new Result(m, o, Duration.ofNanos(ticker.nanoTime() - t0));
                }));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("batch task failed", e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Lets tasks start no closer than {@code gap} apart, in submission order of arrival. */
    private static final class StaggerGate {
        private final Duration gap;
        private final Ticker ticker;
        private long next = Long.MIN_VALUE;

        StaggerGate(Duration gap, Ticker ticker) {
            this.gap = gap;
            this.ticker = ticker;
        }

        void await() throws InterruptedException {
            if (gap.isZero()) {
                return;
            }
            long wait;
            synchronized (this) {
                long now = ticker.nanoTime();
                long at = next == Long.MIN_VALUE ? now : Math.max(now, next);
                next = at + gap.toNanos();
                wait = at - now;
            }
            ticker.sleep(Duration.ofNanos(wait));
        }
    }
}
