package io.headnode.agent.exec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One foreground daemon the agent owns (dhcpd, in.tftpd, radvd): started with an argument array, stopped by
 * its own PID (TERM, then KILL), restarted by {@link #ensureRunning()} with exponential backoff after a crash.
 * Logs only when the state flips.
 */
public final class SupervisedProcess {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedProcess.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private final String name;
    private final Path log;
    private List<String> argv;
    private Process process;
    private Instant nextStart = Instant.EPOCH;
    private Duration backoff = Duration.ofMillis(500);
    private int starts;
    private String lastProblem = "not started";

    public SupervisedProcess(String name, Path log) {
        this.name = Objects.requireNonNull(name, "name is null");
        this.log = Objects.requireNonNull(log, "log is null");
    }

    public synchronized void setCommand(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    /** Starts the daemon if it is not running and its backoff has passed. Returns true when it is running. */
    public synchronized boolean ensureRunning() {
        if (process != null && process.isAlive()) {
            return true;
        }
        if (process != null) {
            lastProblem = "exited with " + process.exitValue();
            LOG.warn("{} exited with {} (log {}); restarting in {} ms", name, process.exitValue(), log, backoff.toMillis());
            process = null;
            nextStart = Instant.now().plus(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        if (argv == null || Instant.now().isBefore(nextStart)) {
            return false;
        }
        try {
            java.nio.file.Files.createDirectories(log.getParent());
            process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            starts++;
            LOG.info("{} started, pid {}", name, process.pid());
            return true;
        } catch (IOException e) {
            lastProblem = "cannot start: " + e.getMessage();
            LOG.error("{} cannot start: {}", name, e.getMessage());
            nextStart = Instant.now().plus(backoff);
            return false;
        }
    }

    /** Stops and starts again (after the old PID is gone: dhcpd refuses to start while its predecessor lives). */
    public synchronized boolean restart() {
        stop();
        backoff = Duration.ofMillis(500);
        nextStart = Instant.EPOCH;
        return ensureRunning();
    }

    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(c -> c.destroyForcibly());
        LOG.info("{} stopped", name);
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** How often this process was started by us (restarts included). */
    public synchronized int starts() {
        return starts;
    }

    public synchronized String health() {
        return running() ? "running" : "down: " + lastProblem;
    }
}
