package io.headnode.power;

import java.time.Duration;

/** Time as power control sees it: a monotonic clock and a sleep; tests substitute a fake that never waits. */
public interface Ticker {
    long nanoTime();

    void sleep(Duration d) throws InterruptedException;

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            if (!d.isNegative() && !d.isZero()) {
                Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
            }
        }
    };
}
