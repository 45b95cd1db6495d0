package io.headnode.agent;

import java.util.Objects;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's default uncaught-exception handler. An {@link Error} (OutOfMemoryError, StackOverflowError, ...) that
 * ends any thread halts the JVM with {@link #EXIT_STATUS}, so systemd restarts the agent, instead of leaving a process
 * up whose I/O threads or reconcile loop died. It halts rather than exits: shutdown hooks may hang in a broken JVM,
 * and systemd stops the daemons the agent supervised with the rest of its control group. Other exceptions are only
 * logged (the thread ends as it would anyway). Heap exhaustion is also caught by -XX:+ExitOnOutOfMemoryError in the
 * launcher, which works even where an executor swallows the error.
 */
final class FatalErrorHandler implements Thread.UncaughtExceptionHandler {
    /** EX_SOFTWARE from sysexits.h. */
    static final int EXIT_STATUS = 70;
    private static final Logger LOG = LoggerFactory.getLogger(FatalErrorHandler.class);
    private final IntConsumer halt;

    FatalErrorHandler(IntConsumer halt) {
        this.halt = Objects.requireNonNull(halt, "halt is null");
    }

    /** Installs the handler for every thread of this JVM, halting with {@link Runtime#halt}. */
    static void install() {
        Thread.setDefaultUncaughtExceptionHandler(new FatalErrorHandler(status -> Runtime.getRuntime().halt(status)));
    }

    /**
     * Runs {@code task}; an {@link Error} is handed to the current thread's uncaught-exception handler before it is
     * rethrown. A scheduled executor keeps what its task threw in a future nobody reads, so without this an Error in
     * the agent's loop would end the loop silently while the process stayed up.
     */
    static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (Error e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
            throw e;
        }
    }

    @Override
    public void uncaughtException(Thread thread, Throwable e) {
        if (!(e instanceof Error)) {
            LOG.error("uncaught exception on thread {}", thread.getName(), e);
            return;
        }
        try {
            System.err.println("headnode-agent: " + e + " on thread " + thread.getName() + ": exiting with status " + EXIT_STATUS);
            LOG.error("fatal error on thread {}: exiting with status {}", thread.getName(), EXIT_STATUS, e);
        } catch (Throwable ignored) {
            // the JVM may be too broken to log (no memory left): halt all the same
        } finally {
            halt.accept(EXIT_STATUS);
        }
    }
}
