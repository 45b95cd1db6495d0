package io.headnode.orchestrator.status;

import io.headnode.contract.AgentStatus;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads the guest agent's status channel: a virtio-serial port whose host end is a unix socket under the state dir.
 * The agent writes one {@link AgentStatus} JSON object per line; this listens for the given time and keeps the latest
 * complete line (lines over {@link AgentStatus#MAX_LINE_BYTES} are dropped).
 */
public final class AgentStatusReader {
    /** At most four full lines are read per call. */
    private static final int MAX_BYTES = 4 * AgentStatus.MAX_LINE_BYTES;
    /**
     * How long {@link #readFresh} goes on listening after its first fresh line. The agent writes a line held back
     * while no host listened as soon as a host connects, and its newest line right after it; a reader that closed at
     * the first line would make QEMU drop that newest one (seen: "ready" reached the host 11.7 s late, with the next
     * interval's line).
     */
    static final Duration LINGER = Duration.ofMillis(250);

    private AgentStatusReader() {
    }

    /** The latest line that is a valid status, parsed into the contract's record. */
    public static Optional<AgentStatus> read(Path socket, Duration timeout) {
        return latest(socket, timeout, AgentStatusReader::statusOrNull, s -> false, Duration.ZERO);
    }

    /** The first valid status that arrives within the timeout (for callers that need any current line, not the newest). */
    public static Optional<AgentStatus> first(Path socket, Duration timeout) {
        return latest(socket, timeout, AgentStatusReader::statusOrNull, s -> true, Duration.ZERO);
    }

    /**
     * The newest valid status once one published less than {@code maxAge} before {@code now} has arrived and
     * {@link #LINGER} has passed after it, or, if no fresh one arrives within {@code timeout}, the latest valid one.
     * Returns soon after a fresh line arrives (a line held back while no host listened may be old, so the first line
     * alone is not enough): for commands that poll or read many VLANs.
     */
    public static Optional<AgentStatus> readFresh(Path socket, Duration timeout, Instant now, Duration maxAge) {
        Instant oldest = now.minus(maxAge);
        return latest(socket, timeout, AgentStatusReader::statusOrNull, s -> s.updated() != null && s.updated().isAfter(oldest), LINGER);
    }

    /** The line as a status, or null if it is not one. */
    static AgentStatus statusOrNull(String line) {
        try {
            return AgentStatus.parse(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The latest line that looks like a JSON object, as the agent wrote it. */
    public static Optional<String> latest(Path socket, Duration timeout) {
        return latest(socket, timeout, line -> line.startsWith("{") && line.endsWith("}") ? line : null, s -> false, Duration.ZERO);
    }

    /** Reads until the timeout, or until {@code linger} after the first line that is {@code enough}. */
    private static <T> Optional<T> latest(Path socket, Duration timeout, Function<String, T> accept, Predicate<T> enough,
            Duration linger) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket)); Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            LatestLine<T> lines = new LatestLine<>(AgentStatus.MAX_LINE_BYTES, accept, enough);
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean lingering = false;
            int total = 0;
            while (total < MAX_BYTES) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || sel.select(left) == 0) {
                    break;
                }
                sel.selectedKeys().clear();
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
                if (lines.feed(buf.array(), 0, n) && !lingering) {
                    if (linger.isZero()) {
                        break;
                    }
                    lingering = true;
                    deadline = Math.min(deadline, System.nanoTime() + linger.toNanos());
                }
            }
            return lines.latest();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
