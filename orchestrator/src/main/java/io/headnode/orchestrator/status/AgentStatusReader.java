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
    /** At most two full lines are read per call. */
    private static final int MAX_BYTES = 2 * AgentStatus.MAX_LINE_BYTES;

    private AgentStatusReader() {
    }

    /** The latest line that is a valid status, parsed into the contract's record. */
    public static Optional<AgentStatus> read(Path socket, Duration timeout) {
        return latest(socket, timeout, AgentStatusReader::statusOrNull, s -> false);
    }

    /** The first valid status that arrives within the timeout (for callers that need any current line, not the newest). */
    public static Optional<AgentStatus> first(Path socket, Duration timeout) {
        return latest(socket, timeout, AgentStatusReader::statusOrNull, s -> true);
    }

    /**
     * The first valid status published less than {@code maxAge} before {@code now}, or, if none such arrives within
     * {@code timeout}, the latest valid one. Returns as soon as a fresh line arrives (a line held back while no host
     * listened may be old, so the first line alone is not enough): for commands that poll or read many VLANs.
     */
    public static Optional<AgentStatus> readFresh(Path socket, Duration timeout, Instant now, Duration maxAge) {
        Instant oldest = now.minus(maxAge);
        return latest(socket, timeout, AgentStatusReader::statusOrNull, s -> s.updated() != null && s.updated().isAfter(oldest));
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
        return latest(socket, timeout, line -> line.startsWith("{") && line.endsWith("}") ? line : null, s -> false);
    }

    private static <T> Optional<T> latest(Path socket, Duration timeout, Function<String, T> accept, Predicate<T> enough) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket)); Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            LatestLine<T> lines = new LatestLine<>(AgentStatus.MAX_LINE_BYTES, accept, enough);
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + timeout.toNanos();
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
                if (lines.feed(buf.array(), 0, n)) {
                    break;
                }
            }
            return lines.latest();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
