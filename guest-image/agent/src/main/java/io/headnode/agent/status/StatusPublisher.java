package io.headnode.agent.status;

import io.headnode.common.time.WallClockDue;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the agent's status ({@link AgentStatus}, one JSON object per line): to the virtio-serial port (the host's view) when it
 * exists, and to status.json in the state dir (for {@code headnode-agent status}). On every change, and at least
 * every status interval. The port is written by a thread of its own, about every {@link #PORT_POLL}: the newest line
 * when it is new, and again to every host that connects. A host reads the channel by connecting to QEMU's socket for a
 * moment, and QEMU drops what the guest writes while no host is connected. Before (session 9 and earlier) a line
 * published while no host listened waited in a blocked write and went out, stale, when the next host connected, and the
 * line after it could be written just as that host closed and be lost: the fleet saw a new head node's agent ready
 * up to 13 s late (the next interval's line).
 */
public final class StatusPublisher implements AutoCloseable {
    /** How often the port's writer looks for a new line and for a host that connected. */
    static final Duration PORT_POLL = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
    private final Path portPath;
    private final StatusPort port;
    private final Path file;
    private final Duration interval;
    private final Clock clock;
    private AgentStatus last;
    private Instant lastSent = Instant.EPOCH;
    /** The newest line published (guarded by this). */
    private byte[] newestLine;
    private Thread portWriter;
    private volatile boolean closed;

    public StatusPublisher(Path port, Path file, Duration interval, Clock clock) {
        this(port, new DevicePort(port), file, interval, clock);
    }

    StatusPublisher(Path portPath, StatusPort port, Path file, Duration interval, Clock clock) {
        this.portPath = Objects.requireNonNull(portPath, "portPath is null");
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
        newestLine = bytes;
        if (portWriter == null && !closed && Files.exists(portPath)) {
            portWriter = new Thread(this::writePort, "status-port");
            portWriter.setDaemon(true);
            portWriter.start();
        }
        return true;
    }

    private synchronized byte[] newestLine() {
        return newestLine;
    }

    /** Writer thread: the newest line to a connected host when it is new, and to every host that connects. */
    private void writePort() {
        byte[] written = null;
        boolean connected = false;
        boolean warned = false;
        while (!closed) {
            try {
                boolean now = port.hostConnected();
                byte[] line = newestLine();
                if (now && line != null && (line != written || !connected)) {
                    now = port.write(line);
                    written = line;
                }
                connected = now;
                warned = false;
            } catch (IOException | RuntimeException e) {
                connected = false;
                if (!warned) {
                    LOG.warn("cannot write status to {}: {}", portPath, e.toString());
                    warned = true;
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(PORT_POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = portWriter;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        port.close();
    }
}
