package io.headnode.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process a test started and must stop: kept in the foreground so its PID is ours, stopped by PID
 * (SIGTERM, then SIGKILL), never by name. Output goes to a log file the test can read.
 *
 * <p>A detached daemon ({@link #startDetached}) runs in its own session and outlives the JVM that started it (the
 * lab's daemons between {@code lab up} and {@code lab down}); a later JVM finds it again by PID with {@link #attach}.
 */
public final class Daemon implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(10);
    private final String name;
    private final ProcessHandle process;
    private final Path log;

    private Daemon(String name, ProcessHandle process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static Daemon start(String name, Path log, List<String> cmd) {
        Daemon d = new Daemon(name, spawn(name, log, cmd), log);
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
        return new Daemon(name, spawn(name, log, all), log);
    }

    /**
     * The daemon running as {@code pid}, if it is alive and its command line contains {@code marker} (something
     * only that daemon's arguments hold, e.g. its config or pid file: a reused PID is never taken for it).
     */
    public static Optional<Daemon> attach(String name, long pid, String marker, Path log) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .map(p -> new Daemon(name, p, log));
    }

    private static ProcessHandle spawn(String name, Path log, List<String> cmd) {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start().toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + cmd, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM, up to 10 s to exit, then SIGKILL; then SIGKILL to whatever it had started that still runs. */
    @Override
    public void close() {
        Cleanup.unregister(this);
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!exited(GRACE)) {
            process.destroyForcibly();
            exited(Duration.ofSeconds(5));
        }
        children.forEach(c -> {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        });
    }

    private boolean exited(Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + "[" + process.pid() + "]";
    }
}
