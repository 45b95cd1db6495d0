package io.headnode.agent.dhcp;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvLines;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.Ipv4Cidr;
import io.headnode.contract.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stable fixed addresses per MAC, persisted on the guest's disk ({@code addresses.txt}: "mac address" lines).
 * A MAC keeps its address for as long as it fits the subnet, also when it leaves machines.txt and comes back,
 * unless the subnet runs out of free addresses, when addresses of unlisted MACs are reused.
 */
public final class AddressBook {
    private static final Logger LOG = LoggerFactory.getLogger(AddressBook.class);
    private final Path file;
    private final Map<MacAddress, Integer> assigned = new TreeMap<>();

    public AddressBook(Path file) {
        this.file = file;
        load();
    }

    private void load() {
        try {
            String name = file.toString();
            for (KvLines.Line line : KvLines.parse(name, KvLines.readBounded(file, name, KvLines.MAX_BYTES))) {
                String[] f = line.words();
                if (f.length != 2) {
                    LOG.warn("{}:{}: ignoring bad entry: expected '<mac> <address>'", file, line.number());
                    continue;
                }
                try {
                    assigned.put(MacAddress.parse(f[0]), Ipv4Cidr.toInt(f[1]));
                } catch (RuntimeException e) {
                    LOG.warn("{}:{}: ignoring bad entry: {}", file, line.number(), e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            // first start
        } catch (IOException | KvException e) {
            LOG.warn("cannot read {}: {}; addresses will be reassigned", file, e.getMessage());
        }
    }

    /**
     * Assigns an address in {@code subnet} to every MAC in {@code macs}, never one of {@code reserved} (the head
     * node's own addresses). Returns MAC to dotted address in the order of {@code macs}; MACs beyond the subnet's
     * capacity are left out (and logged). Persists the book if it changed.
     */
    public synchronized Map<MacAddress, String> assign(List<MacAddress> macs, Ipv4Cidr subnet, Set<String> reserved) throws IOException {
        int base = Ipv4Cidr.toInt(subnet.network());
        int count = subnet.hostCount();
        BitSet used = new BitSet(count + 1);
        for (String r : reserved) {
            if (subnet.contains(r)) {
                used.set(Ipv4Cidr.toInt(r) - base);
            }
        }
        Set<MacAddress> wanted = new java.util.HashSet<>(macs);
        Map<MacAddress, Integer> keep = new HashMap<>();
        // listed MACs with a valid, non-conflicting address keep it
        for (MacAddress m : macs) {
            Integer a = assigned.get(m);
            if (a != null && fits(a, base, count) && !used.get(a - base)) {
                used.set(a - base);
                keep.put(m, a);
            }
        }
        // unlisted MACs keep theirs as long as free addresses remain
        for (Map.Entry<MacAddress, Integer> e : assigned.entrySet()) {
            if (!wanted.contains(e.getKey()) && fits(e.getValue(), base, count) && !used.get(e.getValue() - base)) {
                used.set(e.getValue() - base);
            }
        }
        Map<MacAddress, String> out = new LinkedHashMap<>();
        int next = 1;
        int skipped = 0;
        for (MacAddress m : macs) {
            Integer a = keep.get(m);
            if (a == null) {
                next = used.nextClearBit(next);
                if (next > count) {
                    next = reclaim(used, wanted, base, count);
                }
                if (next < 1 || next > count) {
                    skipped++;
                    next = count + 1;   // the subnet is full: so is it for every MAC after this one
                    continue;
                }
                used.set(next);
                a = base + next;
                keep.put(m, a);
            }
            out.put(m, Ipv4Cidr.dotted(a));
        }
        if (skipped > 0) {
            LOG.error("subnet {} has no free address for {} listed machines; they get no DHCP answer", subnet, skipped);
        }
        Map<MacAddress, Integer> updated = new TreeMap<>(assigned);
        updated.entrySet().removeIf(e -> !fits(e.getValue(), base, count) && !keep.containsKey(e.getKey()));
        updated.putAll(keep);
        if (!updated.equals(assigned)) {
            assigned.clear();
            assigned.putAll(updated);
            persist();
        }
        return out;
    }

    private int reclaim(BitSet used, Set<MacAddress> wanted, int base, int count) {
        for (var it = assigned.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<MacAddress, Integer> e = it.next();
            if (!wanted.contains(e.getKey()) && fits(e.getValue(), base, count)) {
                it.remove();
                int slot = e.getValue() - base;
                used.clear(slot);
                return slot;
            }
        }
        return -1;
    }

    private static boolean fits(int a, int base, int count) {
        int off = a - base;
        return off >= 1 && off <= count;
    }

    private void persist() throws IOException {
        StringBuilder b = new StringBuilder(assigned.size() * 32);
        b.append("# headnode-agent: fixed DHCP addresses per MAC (stable across restarts)\n");
        assigned.forEach((m, a) -> b.append(m).append(' ').append(Ipv4Cidr.dotted(a)).append('\n'));
        AtomicFiles.writeIfChanged(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
