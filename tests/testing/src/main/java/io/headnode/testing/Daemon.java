package io.headnode.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * A process a test started and must stop, over the product's {@link io.headnode.common.exec.Daemon}: kept in the
 * foreground so its PID is ours, stopped by PID (SIGTERM, then SIGKILL after 10 s, descendants too), never by name,
 * and stopped at JVM exit if the test forgot. Output goes to a log file the test can read.
 *
 * <p>A detached daemon ({@link #startDetached}) runs in its own session and outlives the JVM that started it (the
 * lab's daemons between {@code lab up} and {@code lab down}); a later JVM finds it again by PID with {@link #attach}.
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

    /**
     * Starts {@code cmd} in a new session ({@code setsid}, which execs it: the PID is the daemon's), so neither a
     * terminal's Ctrl-C nor this JVM's exit stops it. Not stopped at JVM exit: the caller records its PID.
     */
    public static Daemon startDetached(String name, Path log, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("setsid"));
        all.addAll(cmd);
        return new Daemon(io.headnode.common.exec.Daemon.start(name, all, log, Clock.systemUTC()));
    }

    /**
     * The daemon running as {@code pid}, if it is alive and its command line contains {@code marker} (something
     * only that daemon's arguments hold, e.g. its config or pid file: a reused PID is never taken for it).
     */
    public static Optional<Daemon> attach(String name, long pid, String marker, Path log) {
        if (marker.isBlank()) {
            throw new IllegalArgumentException("attaching " + name + " needs a marker from its command line");
        }
        return io.headnode.common.exec.Daemon.attach(name, pid, marker, log, Clock.systemUTC()).map(Daemon::new);
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
