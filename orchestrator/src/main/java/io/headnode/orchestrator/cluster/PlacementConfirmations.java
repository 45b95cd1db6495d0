package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The placement epochs this host confirmed with ZooKeeper itself (a {@code sync} and a direct read, not the local
 * cache). A host builds or keeps a head node only while the placement it sees carries the epoch it confirmed: a
 * VLAN new here, or whose epoch changed, is read again first; after a reconnect every confirmation is forgotten
 * ({@link #forgetAll}), so a host that comes back with a stale cache (an old epoch) does not start or keep a head
 * node the leader has moved. Used on the member's one thread only.
 */
final class PlacementConfirmations {
    /** ZooKeeper itself, past the cache. */
    interface Source {
        void sync() throws Exception;

        /** The placements of these VLANs as ZooKeeper holds them now (one round trip). */
        Map<Vlan, Optional<Placement>> read(Set<Vlan> vlans) throws Exception;
    }

    private final HostId me;
    private final Map<Vlan, Long> confirmed = new HashMap<>();

    PlacementConfirmations(HostId me) {
        this.me = Objects.requireNonNull(me, "me is null");
    }

    /**
     * The VLANs this host may run now, with their confirmed epochs: those the cache places here whose epoch matches a
     * confirmation, or that a fresh read confirms. Everything else is dropped from the confirmations.
     */
    Map<Vlan, Long> confirm(Map<Vlan, Placement> cached, Source zk) throws Exception {
        Map<Vlan, Long> out = new TreeMap<>();
        Set<Vlan> toRead = new TreeSet<>();
        for (Map.Entry<Vlan, Placement> e : cached.entrySet()) {
            Vlan v = e.getKey();
            Placement p = e.getValue();
            if (!p.host().equals(me)) {
                continue;
            }
            if (Long.valueOf(p.epoch()).equals(confirmed.get(v))) {
                out.put(v, p.epoch());
            } else {
                toRead.add(v);
            }
        }
        if (!toRead.isEmpty()) {
            zk.sync();
            zk.read(toRead).forEach((v, fresh) -> {
                if (fresh.isPresent() && fresh.get().host().equals(me)) {
                    out.put(v, fresh.get().epoch());
                }
            });
        }
        confirmed.clear();
        confirmed.putAll(out);
        return out;
    }

    /** After a reconnect: the cache may be behind the leader; confirm every placement again before trusting it. */
    void forgetAll() {
        confirmed.clear();
    }

    Map<Vlan, Long> confirmed() {
        return new TreeMap<>(confirmed);
    }
}
