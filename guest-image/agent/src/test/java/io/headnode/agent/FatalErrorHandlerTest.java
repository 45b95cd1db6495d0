package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class FatalErrorHandlerTest {
    final List<Integer> halts = new CopyOnWriteArrayList<>();
    final FatalErrorHandler handler = new FatalErrorHandler(halts::add);

    private void dieOn(Runnable body) throws InterruptedException {
        Thread t = new Thread(body, "doomed");
        t.setUncaughtExceptionHandler(handler);
        t.start();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void anErrorEndingAThreadHaltsWithANonZeroStatus() throws Exception {
        dieOn(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        dieOn(() -> {
            throw new StackOverflowError();
        });
        assertThat(halts).containsExactly(FatalErrorHandler.EXIT_STATUS, FatalErrorHandler.EXIT_STATUS);
        assertThat(FatalErrorHandler.EXIT_STATUS).isNotZero();
    }

    @Test
    void anExceptionIsOnlyLogged() throws Exception {
        dieOn(() -> {
            throw new IllegalStateException("a bug, not a broken JVM");
        });
        assertThat(halts).isEmpty();
    }

    @Test
    void anErrorInAPoolTaskReachesTheHandler() throws Exception {
        // the HTTP server's handler pool runs route handlers with execute(): their errors end the pool thread
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pool");
            t.setUncaughtExceptionHandler(handler);
            return t;
        });
        try {
            pool.execute(() -> {
                throw new OutOfMemoryError("Direct buffer memory");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> !halts.isEmpty());
        } finally {
            pool.shutdownNow();
        }
        assertThat(halts).containsExactly(FatalErrorHandler.EXIT_STATUS);
    }

    @Test
    void anErrorInAScheduledTaskReachesTheHandlerWhenGuarded() throws Exception {
        // a scheduled executor keeps a task's Error in its future: the agent's loop runs guarded so the JVM still halts
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loop");
            t.setUncaughtExceptionHandler(handler);
            return t;
        });
        try {
            loop.schedule(() -> FatalErrorHandler.runGuarded(() -> {
                throw new OutOfMemoryError("Java heap space");
            }), 0, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> !halts.isEmpty());
        } finally {
            loop.shutdownNow();
        }
        assertThat(halts).containsExactly(FatalErrorHandler.EXIT_STATUS);
    }
}
