package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The leader's view of every placement. Only the leader writes placements, so it reads them from ZooKeeper when it
 * starts leading (the multi-reads of {@link ClusterStore#placements()}: about ten round trips for 4,094 VLANs), adds
 * what it writes itself, and reads them all again every {@link #RELOAD} and after any write that failed. It keeps no
 * watch on the placement nodes: a cache of them made ZooKeeper send the leader a notification and a read for every
 * placement it had just written, queued on its own session ahead of its next transaction. A placement written by
 * anyone else (by hand) is seen within {@link #RELOAD}. Leader thread only.
 */
final class LeaderPlacements {
    static final Duration RELOAD = Duration.ofSeconds(5);
    private Map<Vlan, Placement> all;
    private Instant loadedAt = Instant.EPOCH;

    /** Whether the next decision must read the placements from ZooKeeper first. */
    boolean due(Instant now) {
        return all == null || !now.isBefore(loadedAt.plus(RELOAD)) || now.isBefore(loadedAt);
    }

    void load(ClusterStore store, Instant now) throws Exception {
        all = new HashMap<>(store.placements());
        loadedAt = now;
    }

    /** Every placement as last read plus the leader's writes since (read-only). */
    Map<Vlan, Placement> all() {
        return Collections.unmodifiableMap(Objects.requireNonNull(all, "placements not loaded"));
    }

    /** The leader wrote these (committed): its view follows without reading them back. */
    void wrote(List<FleetPlanner.Write> writes) {
        if (all == null) {
            return;
        }
        for (FleetPlanner.Write w : writes) {
            if (w.placement() == null) {
                all.remove(w.vlan());
            } else {
                all.put(w.vlan(), w.placement());
            }
        }
    }

    /** The next decision reads every placement again (leadership lost or regained, a write failed). */
    void forget() {
        all = null;
    }
}
