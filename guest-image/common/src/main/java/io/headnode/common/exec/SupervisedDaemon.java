package io.headnode.common.exec;

import io.headnode.common.time.WallClockDue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Daemon} kept running: the agent's dhcpd, in.tftpd and radvd. The owner calls {@link #ensureRunning()} on
 * every pass of its loop; a daemon that exited is started again once its backoff has passed (0.5 s, doubling up to
 * 30 s; back to 0.5 s after a run of at least {@link #STABLE} or an explicit {@link #restart()}). All time decisions
 * read the injected {@link Clock}, so tests move time instead of sleeping. Thread-safe.
 */
public final class SupervisedDaemon {
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A run at least this long counts as healthy: the next crash restarts after the first backoff again. */
    public static final Duration STABLE = Duration.ofSeconds(60);
    /** How long {@link #stop()} gives the daemon to exit on SIGTERM before SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedDaemon.class);

    /** Where the daemon stands: running (with its PID) or down, and why. */
    public record Status(boolean running, OptionalLong pid, String problem, int starts) {
        public Status {
            Objects.requireNonNull(pid, "pid is null");
            Objects.requireNonNull(problem, "problem is null");
        }
    }

    private final String name;
    private final Path log;
    private final Clock clock;
    private List<String> argv;
    private Daemon daemon;
    private Instant nextStart = Instant.EPOCH;
    private Duration backoff = FIRST_BACKOFF;
    private int starts;
    private String lastProblem = "not started";

    public SupervisedDaemon(String name, Path log, Clock clock) {
        this.name = Objects.requireNonNull(name, "name is null");
        this.log = Objects.requireNonNull(log, "log is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** The argument array of the next start; a running daemon keeps running ({@link #restart()} to apply it now). */
    public synchronized void setCommand(List<String> command) {
        this.argv = List.copyOf(command);
    }

    /** Starts the daemon if it is not running and its backoff has passed. Returns true when it is running. */
    public synchronized boolean ensureRunning() {
        if (daemon != null && daemon.isAlive()) {
            return true;
        }
        Instant now = clock.instant();
        if (daemon != null) {
            noteExit(daemon, now);
            daemon = null;
        }
        // a restart further ahead than the longest backoff means the wall clock went back: the backoff has passed
        if (argv == null || !WallClockDue.reached(nextStart, now, MAX_BACKOFF)) {
            return false;
        }
        try {
            daemon = Daemon.start(name, argv, log, clock);
            starts++;
            LOG.info("{} started, pid {}", name, daemon.pid());
            return true;
        } catch (CommandException e) {
            lastProblem = e.getMessage();
            LOG.error("{}; retrying in {} ms", e.getMessage(), backoff.toMillis());
            delay(now);
            return false;
        }
    }

    private void noteExit(Daemon d, Instant now) {
        String how = d.exitCode().stream().mapToObj(c -> "exited with " + c).findFirst().orElse("exited");
        lastProblem = how;
        if (d.uptime().compareTo(STABLE) >= 0) {
            backoff = FIRST_BACKOFF;
        }
        LOG.warn("{} {} after {} s (log {}); restarting in {} ms", name, how, d.uptime().toSeconds(), log, backoff.toMillis());
        delay(now);
    }

    private void delay(Instant now) {
        nextStart = now.plus(backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    /** Stops and starts again at once (after the old PID is gone: dhcpd refuses to start while its predecessor lives). */
    public synchronized boolean restart() {
        stop();
        backoff = FIRST_BACKOFF;
        nextStart = Instant.EPOCH;
        return ensureRunning();
    }

    /** Stops the daemon by PID (SIGTERM, then SIGKILL after {@link #STOP_GRACE}); it stays down until the next ensureRunning. */
    public synchronized void stop() {
        if (daemon == null) {
            return;
        }
        Daemon d = daemon;
        daemon = null;
        if (d.stop(STOP_GRACE)) {
            LOG.info("{} stopped", name);
        }
        lastProblem = "stopped";
    }

    public synchronized boolean running() {
        return daemon != null && daemon.isAlive();
    }

    /** How often this daemon was started (restarts included). */
    public synchronized int starts() {
        return starts;
    }

    public synchronized Status status() {
        boolean up = running();
        return new Status(up, up ? OptionalLong.of(daemon.pid()) : OptionalLong.empty(), up ? "" : lastProblem, starts);
    }


    /** The daemon's log file. */
    public Path log() {
        return log;
    }
}
