package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the leader decides from, decoded: the placements, the live hosts' records, the VLANs with a spec and the
 * hosts being drained ({@link FleetPlanner}). The leader builds it from the placements it keeps decoded
 * ({@link LeaderPlacements}) without copying or decoding the fleet's nodes again on each decision; sorted, so the
 * writes of a decision come in the same order whichever host leads.
 */
public record FleetView(Map<Vlan, Placement> placements, Map<HostId, HostRecord> hosts, Set<Vlan> specVlans,
                        Set<HostId> draining) {
    public FleetView {
        placements = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(placements, "placements is null")));
        hosts = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(hosts, "hosts is null")));
        specVlans = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(specVlans, "specVlans is null")));
        draining = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(draining, "draining is null")));
    }

    /** The view of a snapshot's nodes (placements, hosts, spec names, drain marks). */
    public static FleetView of(FleetSnapshot fleet) {
        return new FleetView(fleet.placements(), fleet.hosts(), fleet.specVlans(), fleet.draining());
    }
}
