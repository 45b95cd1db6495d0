package io.headnode.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * A process a test started and must stop, over the product's {@link io.headnode.common.exec.Daemon}: kept in the
 * foreground so its PID is ours, stopped by PID (SIGTERM, then SIGKILL after 10 s, descendants too), never by name,
 * and stopped at JVM exit if the test forgot. Output goes to a log file the test can read.
 */
public final class Daemon implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private final io.headnode.common.exec.Daemon daemon;

    private Daemon(io.headnode.common.exec.Daemon daemon) {
        this.daemon = daemon;
    }

    /** Starts {@code cmd}; a program that cannot start is a {@link io.headnode.common.exec.CommandException}. */
    public static Daemon start(String name, Path log, List<String> cmd) {
        Daemon d = new Daemon(io.headnode.common.exec.Daemon.start(name, cmd, log, Clock.systemUTC()));
        Cleanup.register(d);
        return d;
    }

    public long pid() {
        return daemon.pid();
    }

    public boolean isAlive() {
        return daemon.isAlive();
    }

    /** The exit code once the daemon has exited (143 after a SIGTERM it obeyed, 137 after SIGKILL); empty while it runs. */
    public OptionalInt exitCode() {
        return daemon.exitCode();
    }

    public Path log() {
        return daemon.log();
    }

    public String logText() {
        return daemon.logText();
    }

    /** Waits (bounded) until {@code file} exists; fails at once, with the log's tail, if the daemon exits first. */
    public void awaitFile(Path file, Duration timeout) {
        daemon.awaitFile(file, timeout);
    }

    /** Waits (bounded) until {@code ready} holds; fails at once, with the log's tail, if the daemon exits first. */
    public void await(String what, BooleanSupplier ready, Duration timeout) {
        daemon.await(what, ready, timeout);
    }

    @Override
    public void close() {
        Cleanup.unregister(this);
        daemon.stop(STOP_GRACE);
    }

    @Override
    public String toString() {
        return daemon.toString();
    }
}
