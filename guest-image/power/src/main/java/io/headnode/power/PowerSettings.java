package io.headnode.power;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of power calls and batches.
 *
 * @param callTimeout   bound on every single BMC call (one HTTP exchange, one ipmitool run, one libvirt call)
 * @param attempts      tries per operation (1 = no retry); each retry first re-reads the power state
 * @param backoff       delay before the first retry; doubled per retry up to {@code maxBackoff}, with +-50% jitter
 * @param maxBackoff    upper bound of a retry delay
 * @param minInterval   minimum time between two commands to the same BMC
 * @param settle        how long to wait for the node to reach the state a command asked for
 * @param pollInterval  how often to re-read the state while settling
 * @param parallelism   how many nodes a batch works on at once
 * @param stagger       delay between the starts of two power-on commands (on, cycle, reset) in a batch
 */
public record PowerSettings(Duration callTimeout, int attempts, Duration backoff, Duration maxBackoff, Duration minInterval,
                            Duration settle, Duration pollInterval, int parallelism, Duration stagger) {
    public PowerSettings {
        for (Duration d : new Duration[] {callTimeout, backoff, maxBackoff, minInterval, settle, pollInterval, stagger}) {
            Objects.requireNonNull(d, "a duration is null");
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative: " + d);
            }
        }
        if (callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive");
        }
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException("attempts " + attempts + " is outside 1..20");
        }
        if (parallelism < 1 || parallelism > 1024) {
            throw new IllegalArgumentException("parallelism " + parallelism + " is outside 1..1024");
        }
        if (pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
    }

    /** Defaults for real BMCs: 10 s per call, 3 attempts, 1-8 s backoff, 1 s between commands to a BMC, 30 s to settle, 16 at once, 0.5 s stagger. */
    public static PowerSettings defaults() {
        return new PowerSettings(Duration.ofSeconds(10), 3, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofMillis(500), 16, Duration.ofMillis(500));
    }

    public PowerSettings withCallTimeout(Duration d) {
        return new PowerSettings(d, attempts, backoff, maxBackoff, minInterval, settle, pollInterval, parallelism, stagger);
    }

    public PowerSettings withAttempts(int n) {
        return new PowerSettings(callTimeout, n, backoff, maxBackoff, minInterval, settle, pollInterval, parallelism, stagger);
    }

    public PowerSettings withBackoff(Duration first, Duration max) {
        return new PowerSettings(callTimeout, attempts, first, max, minInterval, settle, pollInterval, parallelism, stagger);
    }

    public PowerSettings withMinInterval(Duration d) {
        return new PowerSettings(callTimeout, attempts, backoff, maxBackoff, d, settle, pollInterval, parallelism, stagger);
    }

    public PowerSettings withSettle(Duration settleFor, Duration poll) {
        return new PowerSettings(callTimeout, attempts, backoff, maxBackoff, minInterval, settleFor, poll, parallelism, stagger);
    }

    public PowerSettings withParallelism(int n) {
        return new PowerSettings(callTimeout, attempts, backoff, maxBackoff, minInterval, settle, pollInterval, n, stagger);
    }

    public PowerSettings withStagger(Duration d) {
        return new PowerSettings(callTimeout, attempts, backoff, maxBackoff, minInterval, settle, pollInterval, parallelism, d);
    }
}
