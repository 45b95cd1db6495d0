package io.headnode.agent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** An executor that only queues; the test runs the queue when it chooses (on its own thread). */
public final class ManualExecutor implements Executor {
    private final Deque<Runnable> queue = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable r) {
        queue.add(r);
    }

    public synchronized int pending() {
        return queue.size();
    }

    /** Runs queued tasks, also those they queue, until none is left. */
    public void runAll() {
        while (true) {
            Runnable r;
            synchronized (this) {
                r = queue.poll();
            }
            if (r == null) {
                return;
            }
            r.run();
        }
    }
}
