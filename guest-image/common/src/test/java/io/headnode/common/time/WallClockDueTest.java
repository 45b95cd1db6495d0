package io.headnode.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WallClockDueTest {
    private static final Instant T = Instant.parse("2026-12-03T04:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void intervalPassesAfterTheIntervalAndNotBefore() {
        assertThat(WallClockDue.intervalPassed(T, T.plusSeconds(59), MINUTE)).isFalse();
        assertThat(WallClockDue.intervalPassed(T, T.plusSeconds(60), MINUTE)).isTrue();
        assertThat(WallClockDue.intervalPassed(T, T.plusSeconds(3600), MINUTE)).as("clock forward").isTrue();
    }

    @Test
    void aClockThatWentBackCountsAsPassed() {
        assertThat(WallClockDue.intervalPassed(T, T.minusSeconds(3600), MINUTE)).isTrue();
        assertThat(WallClockDue.intervalPassed(T, T.minusMillis(1), MINUTE)).isTrue();
    }

    @Test
    void aTimeIsReachedAtItsInstantOrWhenItLiesBeyondTheLongestWait() {
        Instant at = T.plusSeconds(30);
        assertThat(WallClockDue.reached(at, T, MINUTE)).as("30 s ahead, within the wait").isFalse();
        assertThat(WallClockDue.reached(at, at, MINUTE)).isTrue();
        assertThat(WallClockDue.reached(at, T.minusSeconds(3600), MINUTE)).as("clock went back an hour").isTrue();
        assertThat(WallClockDue.reached(at, T.minusSeconds(30), MINUTE)).as("exactly the longest wait ahead").isFalse();
    }

    @Test
    void nullsAreRefused() {
        assertThatNullPointerException().isThrownBy(() -> WallClockDue.intervalPassed(null, T, MINUTE)).withMessageContaining("last");
        assertThatNullPointerException().isThrownBy(() -> WallClockDue.reached(T, T, null)).withMessageContaining("longestWait");
    }
}
