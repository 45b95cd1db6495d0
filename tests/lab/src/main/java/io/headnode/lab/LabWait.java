package io.headnode.lab;

import io.headnode.testing.Daemon;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition on a real process until it holds, failing early when the process died. */
final class LabWait {
    private static final Duration POLL = Duration.ofMillis(100);

    private LabWait() {
    }

    /** Waits until {@code ready}; throws when {@code daemon} exits first or {@code timeout} passes. */
    static void until(BooleanSupplier ready, Daemon daemon, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!daemon.isAlive()) {
                throw new LabException(what + ": " + daemon + " exited: " + tail(daemon.logText()));
            }
            if (System.nanoTime() > deadline) {
                throw new LabException(what + ": not ready within " + timeout.toSeconds() + " s: " + tail(daemon.logText()));
            }
            pause(POLL);
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }

    static String tail(String s) {
        return s.length() <= 600 ? s.strip() : s.substring(s.length() - 600).strip();
    }
}
