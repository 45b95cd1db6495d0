package io.headnode.common.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Due-time checks against the wall clock that survive a jump of the clock. A head node's clock can go back (NTP, an
 * admin's {@code date -s}, a host resumed from suspend); a plain {@code now < last + interval} check then holds
 * back whatever it guards for as long as the jump, e.g. a status line for an hour. Here a time that lies further
 * ahead than the longest wait it could have been set for means the clock went back, and counts as due. A jump
 * forward only makes things due early.
 */
public final class WallClockDue {
    private WallClockDue() {
    }

    /**
     * Whether {@code interval} has passed since {@code last}: {@code now >= last + interval}, or {@code now} is before
     * {@code last} (the clock went back).
     */
    public static boolean intervalPassed(Instant last, Instant now, Duration interval) {
        Objects.requireNonNull(last, "last is null");
        Objects.requireNonNull(now, "now is null");
        Objects.requireNonNull(interval, "interval is null");
        return now.isBefore(last) || !now.isBefore(last.plus(interval));
    }

    /**
     * Whether {@code at}, set at most {@code longestWait} ahead of the time it was set, is due at {@code now}:
     * {@code now >= at}, or {@code at} lies more than {@code longestWait} after {@code now} (the clock went back).
     */
    public static boolean reached(Instant at, Instant now, Duration longestWait) {
        Objects.requireNonNull(at, "at is null");
        Objects.requireNonNull(now, "now is null");
        Objects.requireNonNull(longestWait, "longestWait is null");
        return !now.isBefore(at) || at.isAfter(now.plus(longestWait));
    }
}
