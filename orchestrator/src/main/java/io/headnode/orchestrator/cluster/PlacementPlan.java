package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The placement the leader should write: every VLAN that has a host, the VLANs that moved in this plan (to write
 * and to log), and the VLANs no live host can take (shown to the admin, placed once capacity returns).
 */
public record PlacementPlan(Map<Vlan, HostId> placements, Map<Vlan, Move> moves, Set<Vlan> unplaced) {
    public PlacementPlan {
        // sorted by VLAN, so plans print and compare in one order
        placements = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(placements, "placements is null")));
        moves = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(moves, "moves is null")));
        unplaced = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(unplaced, "unplaced is null")));
    }

    /** One VLAN changing host; {@code from} is null for a VLAN placed for the first time. */
    public record Move(HostId from, HostId to, String reason) {
        public Move {
            Objects.requireNonNull(to, "to is null");
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    public boolean changesNothing() {
        return moves.isEmpty();
    }
}
