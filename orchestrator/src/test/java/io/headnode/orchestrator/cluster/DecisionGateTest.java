package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the leader decides again; time is passed in (a fake clock), nothing sleeps. */
class DecisionGateTest {
    static final Instant T0 = Instant.parse("2026-12-03T04:00:00Z");
    final DecisionGate gate = new DecisionGate(Duration.ofSeconds(30));

    @Test
    void theFirstDecisionIsDue() {
        assertThat(gate.due(gate.version(), T0)).isTrue();
    }

    @Test
    void nothingChangedSinceTheLastDecisionSkips() {
        long v = gate.version();
        gate.decided(v, T0, Optional.empty());
        assertThat(gate.due(gate.version(), T0.plusMillis(500))).isFalse();
        assertThat(gate.due(gate.version(), T0.plusSeconds(29))).isFalse();
    }

    @Test
    void aChangeMakesItDue() {
        gate.decided(gate.version(), T0, Optional.empty());
        gate.changed();
        assertThat(gate.due(gate.version(), T0.plusMillis(500))).isTrue();
    }

    @Test
    void aChangeDuringADecisionIsNotLost() {
        long v = gate.version(); // read before the inputs
        gate.changed(); // a cache event while the decision reads and writes
        gate.decided(v, T0, Optional.empty());
        assertThat(gate.due(gate.version(), T0.plusMillis(500))).isTrue();
    }

    @Test
    void aLostHostsGraceEndMakesItDueWithoutAnyChange() {
        gate.decided(gate.version(), T0, Optional.of(T0.plusSeconds(8)));
        assertThat(gate.due(gate.version(), T0.plusMillis(7_999))).isFalse();
        assertThat(gate.due(gate.version(), T0.plusSeconds(8))).isTrue();
    }

    @Test
    void theSafetyPeriodMakesItDueEvenIfNothingChanged() {
        gate.decided(gate.version(), T0, Optional.of(T0.plusSeconds(60))); // a grace ending after the period
        assertThat(gate.due(gate.version(), T0.plusSeconds(29))).isFalse();
        assertThat(gate.due(gate.version(), T0.plusSeconds(30))).isTrue();
    }

    @Test
    void aWallClockSetBackMakesItDueRatherThanWaitingForTheJump() {
        gate.decided(gate.version(), T0, Optional.empty());
        assertThat(gate.due(gate.version(), T0)).as("the deadline exactly one period ahead").isFalse();
        assertThat(gate.due(gate.version(), T0.minusSeconds(3600))).as("an hour back").isTrue();
    }

    @Test
    void forgettingMakesItDue() {
        gate.decided(gate.version(), T0, Optional.empty());
        gate.forget(); // leadership lost, or reconnected
        assertThat(gate.due(gate.version(), T0)).isTrue();
    }

    @Test
    void theSafetyPeriodMustBePositive() {
        assertThatThrownBy(() -> new DecisionGate(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
