package io.headnode.power;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that advances only when something sleeps; records the sleeps. */
public final class FakeTicker implements Ticker {
    private long now = 1_000_000_000L;
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration d) {
        sleeps.add(d);
        now += d.toNanos();
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
