package io.headnode.agent.net;

import io.headnode.common.iproute.IpRoute;
import io.headnode.common.iproute.Neighbour;
import io.headnode.contract.MacAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The private interface's neighbour table, read with {@code ip -json neigh show dev <private-interface>} through
 * {@link IpRoute}. Reads are shared, never stale: a question is answered from a read that started after it was
 * asked; questions asked while a read runs share the next one. So at most one {@code ip} process runs at a time,
 * and under a storm of kickstarts and callbacks the number of reads stays well under the number of questions
 * (each read answers all the questions that queued behind the previous one). The reads run on a thread of the
 * table's own; a question asked with {@link #macOfAsync} holds no thread while it waits. (The HTTP routes asked with
 * {@link #macOf} and so blocked one of the 4 handler threads each: a read then answered at most 4 questions, and in a
 * 300-node storm kickstarts and callbacks queued for seconds behind one {@code ip} process after another.)
 */
public final class NeighbourTable implements Neighbours {
    private record Read(Map<String, MacAddress> table, RuntimeException failure) {
    }

    private record Question(String address, CompletableFuture<Optional<MacAddress>> answer) {
    }

    private final Supplier<List<Neighbour>> reader;
    private final Executor readerThread = Executors.newSingleThreadExecutor(new DefaultThreadFactory("neighbour-table", true));
    private final Object lock = new Object();
    private List<Question> waiting = new ArrayList<>();
    private boolean reading;

    public NeighbourTable(IpRoute ip, String dev) {
        this(() -> ip.neighbours(dev));
        Objects.requireNonNull(dev, "dev is null");
    }

    NeighbourTable(Supplier<List<Neighbour>> reader) {
        this.reader = Objects.requireNonNull(reader, "reader is null");
    }

    @Override
    public Optional<MacAddress> macOf(String address) {
        try {
            return macOfAsync(address).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public CompletableFuture<Optional<MacAddress>> macOfAsync(String address) {
        Question q = new Question(canonical(address), new CompletableFuture<>());
        boolean start;
        synchronized (lock) {
            waiting.add(q);
            start = !reading;
            reading = true;
        }
        if (start) {
            readerThread.execute(this::readWhileAsked);
        }
        return q.answer();
    }

    /** On the reader thread: one read for all the questions asked before it starts, again while more were asked. */
    private void readWhileAsked() {
        while (true) {
            List<Question> batch;
            synchronized (lock) {
                if (waiting.isEmpty()) {
                    reading = false;
                    return;
                }
                batch = waiting;
                waiting = new ArrayList<>();
            }
            Read r;
            try {
                r = new Read(index(reader.get()), null);
            } catch (RuntimeException e) {
                r = new Read(Map.of(), e);
            }
            for (Question q : batch) {
                if (r.failure() != null) {
                    q.answer().completeExceptionally(r.failure());
                } else {
                    q.answer().complete(Optional.ofNullable(r.table().get(q.address())));
                }
            }
        }
    }

    private static Map<String, MacAddress> index(List<Neighbour> entries) {
        Map<String, MacAddress> table = new HashMap<>();
        for (Neighbour n : entries) {
            n.resolvedMac().ifPresent(mac -> {
                try {
                    table.put(canonical(n.address()), MacAddress.parse(mac));
                } catch (IllegalArgumentException e) {
                    // not an Ethernet unicast address (another link type): it cannot be a node's
                }
            });
        }
        return table;
    }

    /**
     * One spelling per address: IPv4 is already canonical in both sources; IPv6 (fd00::5 = fd00:0:0:0:0:0:0:5) is
     * parsed as a literal (a string with a colon is never looked up as a name).
     */
    private static String canonical(String literal) {
        if (literal.indexOf(':') < 0) {
            return literal;
        }
        int scope = literal.indexOf('%');
        try {
            return InetAddress.getByName(scope < 0 ? literal : literal.substring(0, scope)).getHostAddress();
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
