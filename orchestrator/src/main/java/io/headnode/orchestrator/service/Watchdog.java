package io.headnode.orchestrator.service;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WATCHDOG=1 at half the service manager's watchdog timeout while the service is healthy (not stuck in one
 * pass longer than the timeout itself); once it is stuck the pings stop and systemd restarts the service.
 */
final class Watchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    private final ScheduledExecutorService timer;

    private Watchdog(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts pinging if the service manager asked for a watchdog; else a no-op. */
    static Watchdog start(ServiceNotifier notifier, Predicate<Duration> healthy) {
        Objects.requireNonNull(healthy, "healthy is null");
        Duration timeout = notifier.watchdog().orElse(null);
        if (timeout == null) {
            return new Watchdog(null);
        }
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "headnode-watchdog");
            th.setDaemon(true);
            return th;
        });
        long half = Math.max(1, timeout.toMillis() / 2);
        boolean[] wasHealthy = {true};
        t.scheduleAtFixedRate(() -> {
            boolean ok = healthy.test(timeout);
            if (ok) {
                notifier.notify("WATCHDOG=1");
            } else if (wasHealthy[0]) {
                log.error("a reconcile pass has been stuck for over {} s: watchdog pings stop", timeout.toSeconds());
            }
            wasHealthy[0] = ok;
        }, 0, half, TimeUnit.MILLISECONDS);
        log.info("watchdog: pinging every {} ms", half);
        return new Watchdog(t);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
