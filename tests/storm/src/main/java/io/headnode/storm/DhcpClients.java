package io.headnode.storm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many PXE clients' DHCP on one UDP socket (port 68) and one thread: DISCOVER, OFFER, REQUEST, ACK per node, at most
 * {@code window} exchanges in flight, each message resent after {@code resend} (a real client waits 4 s) up to
 * {@code tries} times. Answers are told apart by transaction id and client MAC. Without the broadcast flag dhcpd
 * unicasts its answers to the client's MAC and offered address, so each reaches only its own node.
 */
public final class DhcpClients implements AutoCloseable {
    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress server;
    private final int window;
    private final Duration resend;
    private final int tries;
    private final int arch;
    private final Queue<Exchange> submitted = new ConcurrentLinkedQueue<>();
    private final Queue<Exchange> waiting = new ArrayDeque<>();
    private final Map<Integer, Exchange> inFlight = new HashMap<>();
    private final Thread thread;
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private final AtomicLong firstSend = new AtomicLong();
    private final AtomicLong lastAnswer = new AtomicLong();
    private volatile boolean running = true;
    private int nextXid = (int) (System.nanoTime() & 0x7fffffff);

    /** A lease as the ACK gave it. */
    public record Lease(Node node, Inet4Address address, Inet4Address nextServer, String bootFile) {
    }

    /** Counters: answers (OFFERs and ACKs) over the time from the first message sent to the last answer. */
    public record Stats(long answers, long resends, long nanos) {
        public double answersPerSecond() {
            return nanos == 0 ? 0 : answers * 1e9 / nanos;
        }
    }

    private static final class Exchange {
        final Node node;
        final CompletableFuture<Lease> result = new CompletableFuture<>();
        int xid;
        int type;
        int sent;
        long sentAt;
        Inet4Address offered;
        Inet4Address serverId;

        Exchange(Node node) {
            this.node = node;
        }
    }

    public DhcpClients(InetSocketAddress server, int window, Duration resend, int tries, int arch) throws IOException {
        this.server = Objects.requireNonNull(server, "server is null");
        if (window < 1 || tries < 1) {
            throw new IllegalArgumentException("window " + window + " and tries " + tries + " must be positive");
        }
        this.window = window;
        this.resend = Objects.requireNonNull(resend, "resend is null");
        this.tries = tries;
        this.arch = arch;
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(68));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        thread = new Thread(this::loop, "dhcp-clients");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the node's DHCP; the future ends with its lease, or fails after the last try. */
    public CompletableFuture<Lease> lease(Node node) {
        Exchange e = new Exchange(node);
        submitted.add(e);
        selector.wakeup();
        return e.result;
    }

    public Stats stats() {
        long first = firstSend.get();
        long last = lastAnswer.get();
        return new Stats(answers.get(), resends.get(), first == 0 || last < first ? 0 : last - first);
    }

    private void loop() {
        ByteBuffer in = ByteBuffer.allocate(1500);
        while (running) {
            try {
                for (Exchange e; (e = submitted.poll()) != null; ) {
                    waiting.add(e);
                }
                while (inFlight.size() < window && !waiting.isEmpty()) {
                    Exchange e = waiting.poll();
                    e.xid = nextXid++;
                    e.type = DhcpMessage.DISCOVER;
                    inFlight.put(e.xid, e);
                    send(e);
                }
                selector.select(20);
                selector.selectedKeys().clear();
                while (true) {
                    in.clear();
                    if (channel.receive(in) == null) {
                        break;
                    }
                    in.flip();
                    DhcpMessage.parse(in).ifPresent(this::answer);
                }
                resendLate();
            } catch (IOException | RuntimeException ex) {
                inFlight.values().forEach(e -> e.result.completeExceptionally(ex));
                inFlight.clear();
                if (!running) {
                    return;
                }
            }
        }
    }

    private void answer(DhcpMessage.Reply r) {
        Exchange e = inFlight.get(r.xid());
        if (e == null || !Arrays.equals(r.mac(), e.node.macBytes())) {
            return;
        }
        if (e.type == DhcpMessage.DISCOVER && r.type() == DhcpMessage.OFFER) {
            count();
            e.offered = r.yiaddr();
            e.serverId = Optional.ofNullable(r.serverId()).orElse(r.siaddr());
            e.type = DhcpMessage.REQUEST;
            e.sent = 0;
            send(e);
        } else if (e.type == DhcpMessage.REQUEST && (r.type() == DhcpMessage.ACK || r.type() == DhcpMessage.NAK)) {
            count();
            inFlight.remove(e.xid);
            if (r.type() == DhcpMessage.NAK) {
                e.result.completeExceptionally(new IOException("DHCP NAK for " + e.node.mac()));
            } else {
                e.result.complete(new Lease(e.node, r.yiaddr(), r.siaddr(), r.file()));
            }
        }
    }

    private void count() {
        answers.incrementAndGet();
        lastAnswer.set(System.nanoTime());
    }

    private void resendLate() {
        long now = System.nanoTime();
        for (Iterator<Exchange> it = inFlight.values().iterator(); it.hasNext(); ) {
            Exchange e = it.next();
            if (now - e.sentAt < resend.toNanos()) {
                continue;
            }
            if (e.sent >= tries) {
                it.remove();
                e.result.completeExceptionally(new IOException("no DHCP " + (e.type == DhcpMessage.DISCOVER ? "OFFER" : "ACK")
                        + " for " + e.node.mac() + " after " + e.sent + " tries"));
            } else {
                resends.incrementAndGet();
                send(e);
            }
        }
    }

    private void send(Exchange e) {
        ByteBuffer out = DhcpMessage.client(e.type, e.xid, e.node.macBytes(), arch, e.offered, e.serverId);
        try {
            channel.send(out, server);
        } catch (IOException ex) {
            // counted as a try: resent after the timeout like a lost packet
        }
        e.sent++;
        e.sentAt = System.nanoTime();
        firstSend.compareAndSet(0, e.sentAt);
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
        channel.close();
    }
}
