package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the leader decides from, decoded: the placements, the live hosts' records, the VLANs with a spec and the
 * hosts being drained ({@link FleetPlanner}). The leader builds it from its caches' decoded placements
 * ({@link PlacementIndex}) without copying or decoding the fleet's nodes again on each decision; sorted, so the
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

    /**
     * This view with placements replaced (an empty Optional removes one): the leader's own writes that its cache has
     * not delivered yet, so its next decision does not place a VLAN again from a stale view.
     */
    public FleetView withPlacements(Map<Vlan, Optional<Placement>> written) {
        Map<Vlan, Placement> copy = new TreeMap<>(placements);
        written.forEach((v, p) -> {
            if (p.isPresent()) {
                copy.put(v, p.get());
            } else {
                copy.remove(v);
            }
        });
        return new FleetView(copy, hosts, specVlans, draining);
    }
}
