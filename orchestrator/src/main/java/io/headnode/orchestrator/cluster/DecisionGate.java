package io.headnode.orchestrator.cluster;

import io.headnode.common.time.WallClockDue;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the leader must decide again: something it reads (placements, hosts, drain marks, spec names) changed since
 * its last complete decision, or a time it waits for (a lost host's grace) has come, or the last decision is older than
 * a safety period (a missed event cannot hold placing back for longer). Otherwise a decision would compute the same
 * plan over the whole fleet again, for nothing.
 *
 * <p>Use: read {@link #version} before reading the inputs, decide, then {@link #decided} with that version; a change
 * reported meanwhile raises the version, so the next check is due. A failed decision is not recorded (still due).
 */
final class DecisionGate {
    private static final long NONE = -1;
    private final Duration atLeastEvery;
    private final AtomicLong changes = new AtomicLong();
    private long decided = NONE;
    private Instant deadline;

    DecisionGate(Duration atLeastEvery) {
        this.atLeastEvery = Objects.requireNonNull(atLeastEvery, "atLeastEvery is null");
        if (atLeastEvery.isNegative() || atLeastEvery.isZero()) {
            throw new IllegalArgumentException("atLeastEvery must be positive: " + atLeastEvery);
        }
    }

    /** An input changed (any thread). */
    void changed() {
        changes.incrementAndGet();
    }

    /** The inputs' version now: read it before the inputs. */
    long version() {
        return changes.get();
    }

    /**
     * True unless the last decision was made at {@code version} and its deadline (if any) has not come by {@code now}.
     * A deadline further ahead than the safety period means the wall clock went back: due ({@link WallClockDue}).
     */
    synchronized boolean due(long version, Instant now) {
        return version != decided || (deadline != null && WallClockDue.reached(deadline, now, atLeastEvery));
    }

    /**
     * A decision from the inputs at {@code version} completed at {@code now}; decide again at {@code nextDeadline}
     * (or after the safety period, whichever comes first) even if nothing changes.
     */
    synchronized void decided(long version, Instant now, Optional<Instant> nextDeadline) {
        Instant latest = now.plus(atLeastEvery);
        decided = version;
        deadline = nextDeadline.filter(d -> d.isBefore(latest)).orElse(latest);
    }

    /** Not leader any more (or reconnected): the next decision is due whatever the version. */
    synchronized void forget() {
        decided = NONE;
        deadline = null;
    }
}
