package io.headnode.agent.status;

import io.headnode.common.time.WallClockDue;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.AtomicFiles;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the agent's status ({@link AgentStatus}, one JSON object per line): to the virtio-serial port (the host's view) when it
 * exists, and to status.json in the state dir (for {@code headnode-agent status}). On every change, and at least
 * every status interval. Writes to the port happen on their own thread: a host that does not read cannot block
 * the agent. While no host listens, QEMU holds the port's write back; the lines published meanwhile wait behind
 * it, and only the newest is written once the host reads (before, they were dropped: a change made while nobody
 * listened reached the host only with the next interval's line, up to 10 s late).
 */
public final class StatusPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
    private final Path port;
    private final Path file;
    private final Duration interval;
    private final Clock clock;
    private final ExecutorService portWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "status-port");
        t.setDaemon(true);
        return t;
    });
    private AgentStatus last;
    private Instant lastSent = Instant.EPOCH;
    /** The line the writer thread writes next; null when none waits (guarded by this). */
    private byte[] nextLine;
    private boolean portWarned;

    public StatusPublisher(Path port, Path file, Duration interval, Clock clock) {
        this.port = Objects.requireNonNull(port, "port is null");
        this.file = Objects.requireNonNull(file, "file is null");
        this.interval = Objects.requireNonNull(interval, "interval is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** Publishes {@code status} if it differs from the last one or the interval has passed. Returns true if sent. */
    public synchronized boolean publish(AgentStatus status) {
        AgentStatus unstamped = status.withUpdated(null);
        Instant now = clock.instant();
        if (unstamped.equals(last) && !WallClockDue.intervalPassed(lastSent, now, interval)) {   // a clock gone back: send
            return false;
        }
        last = unstamped;
        lastSent = now;
        byte[] bytes = (status.withUpdated(now).toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(file, bytes, null);
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", file, e.toString());
        }
        if (Files.exists(port)) {
            if (nextLine == null) {
                portWriter.execute(this::drainPort);
            }
            nextLine = bytes; // a line still waiting is replaced: the host gets the newest status, not a stale one
        }
        return true;
    }

    /** Writer thread: writes the newest waiting line until none waits. */
    private void drainPort() {
        while (true) {
            byte[] line;
            synchronized (this) {
                line = nextLine;
                if (line == null) {
                    return;
                }
            }
            writePort(line);
            synchronized (this) {
                if (nextLine == line) {
                    nextLine = null; // nothing newer came while it was written
                    return;
                }
            }
        }
    }

    private void writePort(byte[] bytes) {
        try (FileOutputStream out = new FileOutputStream(port.toFile(), true)) {
            out.write(bytes);
            out.flush();
            portWarned = false;
        } catch (IOException e) {
            if (!portWarned) {
                LOG.warn("cannot write status to {}: {}", port, e.toString());
                portWarned = true;
            }
        }
    }

    @Override
    public void close() {
        portWriter.shutdownNow();
    }
}
