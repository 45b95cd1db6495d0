package io.headnode.orchestrator.cluster;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks for a run of a task on an executor; asks made before that run starts give one run (a burst of cache events
 * gives one pass or one decision). An ask while the task runs gives one more run after it, so nothing that changed
 * during a run is missed. Asks after the executor shut down are dropped.
 */
final class CoalescingTrigger {
    private final Executor executor;
    private final Runnable task;
    private final AtomicBoolean pending = new AtomicBoolean();

    CoalescingTrigger(Executor executor, Runnable task) {
        this.executor = Objects.requireNonNull(executor, "executor is null");
        this.task = Objects.requireNonNull(task, "task is null");
    }

    void fire() {
        if (pending.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    pending.set(false);
                    task.run();
                });
            } catch (RejectedExecutionException e) {
                pending.set(false); // closed: nothing runs any more
            }
        }
    }
}
