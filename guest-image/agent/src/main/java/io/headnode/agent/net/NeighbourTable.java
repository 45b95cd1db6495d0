package io.headnode.agent.net;

import io.headnode.common.iproute.IpRoute;
import io.headnode.common.iproute.Neighbour;
import io.headnode.contract.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The private interface's neighbour table, read with {@code ip -json neigh show dev <private-interface>} through
 * {@link IpRoute}. Reads are shared, never stale: a question is answered from a read that started after it was
 * asked; questions asked while a read runs share the next one. So at most one {@code ip} process runs at a time,
 * and under a storm of kickstarts and callbacks the number of reads stays well under the number of questions
 * (each read answers all the questions that queued behind the previous one). Blocks the caller for up to one read in
 * flight plus its own: call it on a route handler thread, never on an HTTP I/O thread.
 */
public final class NeighbourTable implements Neighbours {
    private record Read(Map<String, MacAddress> table, RuntimeException failure) {
    }

    private final Supplier<List<Neighbour>> reader;
    private final Object lock = new Object();
    private long started;
    private long done;
    private Read last;

    public NeighbourTable(IpRoute ip, String dev) {
        this(() -> ip.neighbours(dev));
        Objects.requireNonNull(dev, "dev is null");
    }

    NeighbourTable(Supplier<List<Neighbour>> reader) {
        this.reader = Objects.requireNonNull(reader, "reader is null");
    }

    @Override
    public Optional<MacAddress> macOf(String address) {
        Read r = readStartedAfterNow();
        if (r.failure() != null) {
            throw r.failure();
        }
        return Optional.ofNullable(r.table().get(canonical(address)));
    }

    private Read readStartedAfterNow() {
        synchronized (lock) {
            long need = started + 1;
            while (done < need) {
                if (started == done) {
                    started++;
                    break;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the neighbour table", e);
                }
            }
            if (done >= need) {
                return last;
            }
        }
        Read r;
        try {
            r = new Read(index(reader.get()), null);
        } catch (RuntimeException e) {
            r = new Read(Map.of(), e);
        }
        synchronized (lock) {
            last = r;
            done = started;
            lock.notifyAll();
        }
        return r;
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
