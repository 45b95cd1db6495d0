package io.headnode.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP relay a test can cut: clients connect to {@link #port()} on 127.0.0.1 and are relayed to a
 * loopback target port. {@link #cut()} closes every relayed connection and closes new ones at once (a partition
 * between the clients and the target, e.g. one host and its ZooKeeper ensemble); {@link #restore()} heals it.
 * Loopback only; its threads are daemons and stop with {@link #close()}.
 */
public final class TcpRelay implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean cut;

    private TcpRelay(ServerSocket server, int target) {
        this.server = server;
        this.target = target;
    }

    /** Listens on a free loopback port and relays to 127.0.0.1:{@code targetPort}. */
    public static TcpRelay start(int targetPort) {
        try {
            TcpRelay r = new TcpRelay(new ServerSocket(0, 50, LOOPBACK), targetPort);
            Thread t = new Thread(r::acceptLoop, "tcp-relay-" + r.port());
            t.setDaemon(true);
            t.start();
            Cleanup.register(r);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every relayed connection; new ones are closed as soon as they are accepted. */
    public synchronized void cut() {
        cut = true;
        open.forEach(TcpRelay::closeQuietly);
        open.clear();
    }

    public synchronized void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(LOOPBACK, target);
                synchronized (this) {
                    if (cut) {
                        closeQuietly(client);
                        closeQuietly(upstream);
                        continue;
                    }
                    open.add(client);
                    open.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // the server closed, or the target refused: the client sees its connection closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        Cleanup.unregister(this);
        cut();
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public String toString() {
        return "tcp relay 127.0.0.1:" + port() + " -> " + target;
    }
}
