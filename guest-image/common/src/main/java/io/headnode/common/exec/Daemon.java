package io.headnode.common.exec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-running process (dhcpd, in.tftpd, radvd, libvirtd, virtlogd, a test's ipmi_sim...): the one way Headnode
 * starts a daemon, watches it and stops it. Short commands that are waited for go through {@link CommandRunner}.
 *
 * <ul>
 *   <li><b>Start</b> with {@link #start(String, List, Path, Clock)}: an argument array (never a shell line) run in the
 *       <em>foreground</em>, so the PID we hold is the daemon's own ({@code dhcpd -f}, {@code radvd --nodaemon},
 *       {@code libvirtd} without {@code -d}). Standard output and error are appended to {@code log}; standard input is
 *       /dev/null. A program that cannot start is a {@link CommandException} ({@link CommandException.Kind#CANNOT_START}).
 *       Prefix {@code argv} with {@code setsid} (and {@code ip netns exec NS}) for a daemon that must outlive this JVM
 *       in its own session (the lab's {@code lab up}).</li>
 *   <li><b>Find again</b> a daemon started by an earlier run from its remembered PID with
 *       {@link #attach(String, long, String, Path, Clock)}: present only while that PID is alive and still runs the
 *       named program (a PID is not trusted after reuse).</li>
 *   <li><b>Wait</b> for it to become ready with {@link #awaitFile(Path, Duration)} (a socket or pid file) or
 *       {@link #await(String, BooleanSupplier, Duration)}: bounded, and failing at once, with the log's tail, when the
 *       daemon exits first.</li>
 *   <li><b>Stop</b> by PID with {@link #stop(Duration)}: SIGTERM, up to {@code grace} for it to exit, then SIGKILL; its
 *       descendants (as they were when the stop began) are killed after it. Never by name. Every wait is bounded.</li>
 * </ul>
 *
 * <p>For example, the lab's daemons, which outlive the {@code lab up} that started them:
 * <pre>{@code
 * Daemon d = Daemon.start("udhcpd", List.of("setsid", "ip", "netns", "exec", ns, "busybox", "udhcpd", "-f", conf), log, clock);
 * d.await("start", () -> d.logText().contains("started"), Duration.ofSeconds(10));
 * state.putPid("udhcpd", d.pid());
 * // later, in lab down (another JVM):
 * Daemon.attach("udhcpd", state.pid("udhcpd"), "busybox", log, clock).ifPresent(x -> x.stop(Duration.ofSeconds(5)));
 * }</pre>
 * ({@code setsid} and {@code ip netns exec} both exec, so the PID is the daemon's.)
 *
 * <p>The injected {@link Clock} only dates the start ({@link #uptime()}), which {@link SupervisedDaemon} uses for its
 * restart decisions; waits on the real process use real time. Restarting after a crash, with backoff, is
 * {@link SupervisedDaemon}'s job, not this class's.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final File DEV_NULL = new File("/dev/null");
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;
    private static final int TAIL_CHARS = 600;
    private final String name;
    private final ProcessHandle handle;
    private final Optional<Process> process;
    private final Path log;
    private final Clock clock;
    private final Instant startedAt;

    private Daemon(String name, ProcessHandle handle, Optional<Process> process, Path log, Clock clock, Instant startedAt) {
        this.name = name;
        this.handle = handle;
        this.process = process;
        this.log = log;
        this.clock = clock;
        this.startedAt = startedAt;
    }

    /** Starts {@code argv} in the foreground, output appended to {@code log} (its directory is created). */
    public static Daemon start(String name, List<String> argv, Path log, Clock clock) {
        Objects.requireNonNull(name, "name is null");
        List<String> cmd = List.copyOf(argv);
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("argv of " + name + " is empty");
        }
        Objects.requireNonNull(log, "log is null");
        Objects.requireNonNull(clock, "clock is null");
        try {
            Path dir = log.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectInput(DEV_NULL).start();
            LOG.debug("{} started, pid {}: {}", name, p.pid(), cmd);
            return new Daemon(name, p.toHandle(), Optional.of(p), log, clock, clock.instant());
        } catch (IOException e) {
            throw new CommandException(CommandException.Kind.CANNOT_START, "cannot start " + name + " (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
    }

    /**
     * The daemon with {@code pid}, if that process is alive and its command line contains {@code program} (any
     * program when blank, or when the system does not tell). Its uptime counts from the process's own start time.
     */
    public static Optional<Daemon> attach(String name, long pid, String program, Path log, Clock clock) {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(program, "program is null");
        Objects.requireNonNull(log, "log is null");
        Objects.requireNonNull(clock, "clock is null");
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> runs(h, program))
                .map(h -> new Daemon(name, h, Optional.empty(), log, clock, h.info().startInstant().orElse(clock.instant())));
    }

    private static boolean runs(ProcessHandle h, String program) {
        return program.isBlank() || h.info().commandLine().or(() -> h.info().command()).map(c -> c.contains(program)).orElse(true);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return handle.pid();
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The exit code once a daemon this JVM started has exited; empty while it runs, or for an attached one. */
    public OptionalInt exitCode() {
        return process.filter(p -> !p.isAlive()).map(p -> OptionalInt.of(p.exitValue())).orElse(OptionalInt.empty());
    }

    /** Time since the start, by the injected clock. */
    public Duration uptime() {
        Duration d = Duration.between(startedAt, clock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The whole log, or "" when it cannot be read. */
    public String logText() {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The end of the log (for error messages). */
    public String logTail() {
        String s = logText().strip();
        return s.length() > TAIL_CHARS ? "..." + s.substring(s.length() - TAIL_CHARS) : s;
    }

    /** Waits until {@code file} exists (a socket, a pid file); see {@link #await(String, BooleanSupplier, Duration)}. */
    public void awaitFile(Path file, Duration timeout) {
        await("create " + file, () -> Files.exists(file), timeout);
    }

    /**
     * Waits until {@code ready} holds, checking every 20 ms and returning at once when the daemon exits. Throws
     * {@link CommandException} naming {@code what} and the log's tail when the daemon exits first
     * ({@link CommandException.Kind#FAILED}) or {@code timeout} passes ({@link CommandException.Kind#TIMED_OUT}).
     */
    public void await(String what, BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!handle.isAlive()) {
                throw new CommandException(this + " exited" + exitCode().stream().mapToObj(c -> " with " + c).findFirst().orElse("")
                        + " before it could " + what + ": " + logTail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CommandException(CommandException.Kind.TIMED_OUT, this + " did not " + what + " within "
                        + ProcessCommandRunner.describe(timeout.toMillis()) + ": " + logTail(), null);
            }
            try {
                handle.onExit().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still running (or gone: checked above on the next round)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException(CommandException.Kind.INTERRUPTED, "interrupted waiting for " + this + " to " + what, e);
            }
        }
    }

    /**
     * Stops the daemon by PID: SIGTERM, up to {@code grace} for it to exit, then SIGKILL (and up to 5 s more); then
     * SIGKILL for its descendants that still live. Returns true if it was running. Never waits longer than
     * {@code grace} + 5 s.
     */
    public boolean stop(Duration grace) {
        if (!handle.isAlive()) {
            return false;
        }
        List<ProcessHandle> descendants = handle.descendants().toList();
        handle.destroy();
        if (!exited(grace)) {
            LOG.warn("{} did not stop within {} ms of SIGTERM; killing it", this, grace.toMillis());
            handle.destroyForcibly();
            if (!exited(KILL_WAIT)) {
                LOG.error("{} still alive after SIGKILL", this);
            }
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        LOG.debug("{} stopped", this);
        return true;
    }

    private boolean exited(Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // onExit of a child completes once it is reaped, of a non-child once it is gone
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    @Override
    public String toString() {
        return name + "[" + handle.pid() + "]";
    }
}
