package io.headnode.orchestrator.status;

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

/**
 * Reads the guest agent's status channel: a virtio-serial port whose host end is a unix socket under the state dir.
 * The agent writes one JSON object per line; this returns the latest complete line seen within the timeout.
 */
public final class AgentStatusReader {
    private static final int MAX_BYTES = 1 << 20;

    private AgentStatusReader() {
    }

    public static Optional<String> latest(Path socket, Duration timeout) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket)); Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            StringBuilder pending = new StringBuilder();
            String last = null;
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
                pending.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
                int nl;
                while ((nl = pending.indexOf("\n")) >= 0) {
                    String line = pending.substring(0, nl).strip();
                    pending.delete(0, nl + 1);
                    if (line.startsWith("{") && line.endsWith("}")) {
                        last = line;
                    }
                }
            }
            return Optional.ofNullable(last);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
