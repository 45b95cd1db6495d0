package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Coalescing on a hand-driven executor: no threads, no timing. */
class CoalescingTriggerTest {
    final Queue<Runnable> queued = new ArrayDeque<>();
    final AtomicInteger runs = new AtomicInteger();

    @Test
    void aBurstOfAsksGivesOneRun() {
        CoalescingTrigger t = new CoalescingTrigger(queued::add, runs::incrementAndGet);
        t.fire();
        t.fire();
        t.fire();
        assertThat(queued).hasSize(1);
        queued.poll().run();
        assertThat(runs).hasValue(1);
        assertThat(queued).isEmpty();
    }

    @Test
    void anAskDuringARunGivesOneMoreRunAfterIt() {
        CoalescingTrigger[] self = new CoalescingTrigger[1];
        self[0] = new CoalescingTrigger(queued::add, () -> {
            if (runs.incrementAndGet() == 1) {
                self[0].fire(); // something changed while the task ran
                self[0].fire();
            }
        });
        self[0].fire();
        queued.poll().run();
        assertThat(queued).hasSize(1);
        queued.poll().run();
        assertThat(runs).hasValue(2);
        assertThat(queued).isEmpty();
    }

    @Test
    void asksAfterTheExecutorClosedAreDropped() {
        Executor closed = r -> {
            throw new RejectedExecutionException("shut down");
        };
        CoalescingTrigger t = new CoalescingTrigger(closed, runs::incrementAndGet);
        t.fire();
        t.fire(); // not stuck as pending: each ask tries again and is dropped quietly
        assertThat(runs).hasValue(0);
    }
}
