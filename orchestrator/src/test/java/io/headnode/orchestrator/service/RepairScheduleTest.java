package io.headnode.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.service.RepairSchedule.RunFullPass;
import io.headnode.orchestrator.service.RepairSchedule.RunVlan;
import io.headnode.orchestrator.service.RepairSchedule.Wait;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The service's decisions on a fake timeline: events first and coalesced, retries with backoff, the periodic pass. */
class RepairScheduleTest {
    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
    private static final Vlan V100 = new Vlan(100);
    private static final Vlan V200 = new Vlan(200);
    private final RepairSchedule s = new RepairSchedule(Duration.ofMinutes(1), T0);

    @Test
    void theFirstPassIsDueAtOnceThenEveryPeriod() {
        assertThat(s.next(T0)).isEqualTo(new RunFullPass());
        s.fullPassDone(T0.plusSeconds(2));
        assertThat(s.next(T0.plusSeconds(3))).isEqualTo(new Wait(T0.plusSeconds(62)));
        assertThat(s.next(T0.plusSeconds(62))).isEqualTo(new RunFullPass());
    }

    @Test
    void eventsGoFirstAndABurstForOneVlanIsOnePass() {
        assertThat(s.event(V100)).isTrue();
        assertThat(s.event(V100)).as("coalesced").isFalse();
        assertThat(s.event(V200)).isTrue();
        assertThat(s.next(T0)).isEqualTo(new RunVlan(V100, Trigger.EVENT));
        assertThat(s.next(T0)).isEqualTo(new RunVlan(V200, Trigger.EVENT));
        assertThat(s.next(T0)).as("the periodic pass after the events").isEqualTo(new RunFullPass());
        assertThat(s.event(V100)).as("an event during a pass is pending again").isTrue();
        assertThat(s.takeUrgent()).contains(V100);
        assertThat(s.takeUrgent()).isEmpty();
    }

    @Test
    void aFailedVlanIsRetriedAfterOneSecondDoublingUpToThePeriod() {
        s.next(T0);
        s.fullPassDone(T0);
        assertThat(s.next(T0)).isEqualTo(new Wait(T0.plusSeconds(60)));
        Instant t = T0;
        for (long expected : new long[] {1, 2, 4, 8, 16, 32, 60, 60}) {
            s.vlanDone(V100, true, t);
            assertThat(s.retryAt(V100)).contains(t.plusSeconds(expected));
            t = t.plusSeconds(expected);
            assertThat(s.next(t)).as("retries before a due periodic pass").isEqualTo(new RunVlan(V100, Trigger.RETRY));
        }
        s.vlanDone(V100, false, t);
        assertThat(s.retryAt(V100)).as("a success ends the retries").isEmpty();
    }

    @Test
    void aRetryDueIsNotReturnedTwiceWhileItRuns() {
        s.next(T0);
        s.fullPassDone(T0);
        s.vlanDone(V100, true, T0);
        assertThat(s.next(T0.plusSeconds(1))).isEqualTo(new RunVlan(V100, Trigger.RETRY));
        assertThat(s.next(T0.plusSeconds(1))).isEqualTo(new Wait(T0.plusSeconds(60)));
    }

    @Test
    void aResubscriptionAsksForACatchUpPassButNotBeforeTheFirstPassStarted() {
        s.fullPassNow(T0);
        assertThat(s.next(T0)).isEqualTo(new RunFullPass());
        s.fullPassNow(T0.plusMillis(500));   // subscribed while the first pass runs: it may have missed an event
        s.fullPassDone(T0.plusSeconds(1));
        assertThat(s.next(T0.plusSeconds(1))).as("the catch-up pass runs right after").isEqualTo(new RunFullPass());
        s.fullPassDone(T0.plusSeconds(2));
        assertThat(s.next(T0.plusSeconds(3))).isEqualTo(new Wait(T0.plusSeconds(62)));
        s.fullPassNow(T0.plusSeconds(10));
        assertThat(s.next(T0.plusSeconds(10))).isEqualTo(new RunFullPass());
    }
}
