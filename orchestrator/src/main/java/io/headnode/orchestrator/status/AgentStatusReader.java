package io.headnode.orchestrator.status;

import io.headnode.contract.AgentStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

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
        return latest(socket, timeout, line -> {
            try {
                return AgentStatus.parse(line);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
    }

    /** The first valid status that arrives within the timeout (for callers that need any current line, not the newest). */
    public static Optional<AgentStatus> first(Path socket, Duration timeout) {
        return latest(socket, timeout, true, line -> {
            try {
                return AgentStatus.parse(line);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
    }

    /** The latest line that looks like a JSON object, as the agent wrote it. */
    public static Optional<String> latest(Path socket, Duration timeout) {
        return latest(socket, timeout, line -> line.startsWith("{") && line.endsWith("}") ? line : null);
    }

    private static <T> Optional<T> latest(Path socket, Duration timeout, Function<String, T> accept) {
        return latest(socket, timeout, false, accept);
    }

    private static <T> Optional<T> latest(Path socket, Duration timeout, boolean first, Function<String, T> accept) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket)); Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            boolean overlong = false;
            T last = null;
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + timeout.toNanos();
            int total = 0;
            while (total < MAX_BYTES && !(first && last != null)) {
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
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b != '\n') {
                        if (pending.size() < AgentStatus.MAX_LINE_BYTES) {
                            pending.write(b);
                        } else {
                            overlong = true;
                        }
                        continue;
                    }
                    if (!overlong && !(first && last != null)) {
                        T t = accept.apply(pending.toString(StandardCharsets.UTF_8).strip());
                        last = t == null ? last : t;
                    }
                    pending.reset();
                    overlong = false;
                }
            }
            return Optional.ofNullable(last);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
