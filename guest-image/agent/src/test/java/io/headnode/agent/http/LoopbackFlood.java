package io.headnode.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many connections to a server on loopback, opened from chosen loopback addresses and held open, each optionally
 * having sent the same bytes (an unfinished or a complete request head). For the hostile-load tests and the idle
 * flood benchmark. Loopback only; at most 8,192 connections.
 */
public final class LoopbackFlood implements AutoCloseable {
    private final List<SocketChannel> connections = new ArrayList<>();
    private final Selector selector;
    private final ByteBuffer sink = ByteBuffer.allocate(4096);
    private int closedByServer;

    private LoopbackFlood() throws IOException {
        selector = Selector.open();
    }

    /**
     * Opens {@code n} connections to {@code target}: from 127.0.0.1 if {@code addresses} is 1, else spread over
     * 127.0.1.1 .. 127.0.1.{@code addresses}. Each sends {@code payload} (may be empty) and then stays idle.
     */
    public static LoopbackFlood open(InetSocketAddress target, int n, int addresses, byte[] payload) throws IOException {
        if (n > 8192 || addresses < 1 || addresses > 254 || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("at most 8192 connections from 1..254 addresses to loopback");
        }
        LoopbackFlood f = new LoopbackFlood();
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open();
                f.connections.add(c);
                c.bind(new InetSocketAddress(addresses == 1 ? "127.0.0.1" : "127.0.1." + (1 + i % addresses), 0));
                c.connect(target);
                if (payload.length > 0) {
                    c.write(ByteBuffer.wrap(payload));
                }
                c.configureBlocking(false);
                c.register(f.selector, SelectionKey.OP_READ);
            }
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    public int size() {
        return connections.size();
    }

    /** How many of the connections the server has closed (end of stream or reset) so far; answers are discarded. */
    public int closedByServer() throws IOException {
        // one select reports at most 1,024 ready connections (the JDK's epoll batch): select until none is left
        for (int round = 0; round < 64 && selector.selectNow() > 0; round++) {
            for (SelectionKey k : selector.selectedKeys()) {
                sink.clear();
                int r;
                try {
                    r = ((SocketChannel) k.channel()).read(sink);
                } catch (IOException e) {
                    r = -1;
                }
                if (r < 0) {
                    closedByServer++;
                    k.cancel();
                }
            }
            selector.selectedKeys().clear();
        }
        return closedByServer;
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel c : connections) {
            c.close();
        }
        selector.close();
    }

    /**
     * A request head of about {@code size} bytes: an unfinished one (request line and 40-byte header lines, no empty
     * line at the end), or a complete HEAD request with one long header line.
     */
    public static byte[] head(int size, boolean complete) {
        if (size == 0) {
            return new byte[0];
        }
        StringBuilder b = new StringBuilder("HEAD /small.txt HTTP/1.1\r\n");
        if (complete) {
            return b.append("X-Pad: ").append("p".repeat(Math.max(0, size - b.length() - 11))).append("\r\n\r\n")
                    .toString().getBytes(StandardCharsets.US_ASCII);
        }
        for (int i = 0; b.length() < size; i++) {
            b.append("X-Pad-").append(i).append(": ").append("p".repeat(40)).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One GET from {@code local} with Connection: close; the status code, or -1 if there was no answer. */
    public static int fetch(String local, InetSocketAddress target, String path) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(local, 0));
            s.connect(target, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String line = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            in.transferTo(OutputStream.nullOutputStream());
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
