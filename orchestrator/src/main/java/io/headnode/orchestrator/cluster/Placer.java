package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Places head nodes on live hosts: pure, no I/O, deterministic (the same input gives the same plan, whichever
 * host is leader).
 *
 * <ul>
 *   <li>A VLAN whose host is live keeps it (no flapping): only VLANs on lost hosts, and new ones, move.</li>
 *   <li>A VLAN to place goes to the host with the lowest share of its limit in use, then the most free memory,
 *       then the smallest name; a host takes one only below its limit and with the head node's memory free. This
 *       spreads evenly: on hosts with equal limits no host holds more than one head node above another's.</li>
 *   <li>A draining host takes nothing; {@link #drainOne} moves its head nodes away one at a time.</li>
 * </ul>
 */
public final class Placer {
    private final long headnodeMemoryMib;

    /** @param headnodeMemoryMib the memory one head node needs on its host */
    public Placer(long headnodeMemoryMib) {
        if (headnodeMemoryMib < 1) {
            throw new IllegalArgumentException("head node memory " + headnodeMemoryMib + " MiB is below 1");
        }
        this.headnodeMemoryMib = headnodeMemoryMib;
    }

    /**
     * @param wanted  the VLANs that should have a head node
     * @param live    the hosts whose session is live, as they registered
     * @param current the placements written so far (may name lost hosts and VLANs no longer wanted)
     */
    public PlacementPlan place(Set<Vlan> wanted, Collection<HostCapacity> live, Map<Vlan, HostId> current) {
        Map<HostId, Load> loads = loads(live);
        Map<Vlan, HostId> placements = new TreeMap<>();
        Map<Vlan, PlacementPlan.Move> moves = new TreeMap<>();
        List<Vlan> toPlace = new ArrayList<>();
        for (Vlan vlan : new TreeSet<>(wanted)) {
            HostId host = current.get(vlan);
            Load load = host == null ? null : loads.get(host);
            if (load != null) {
                placements.put(vlan, host); // kept where it runs, even above a lowered limit: never move a live one
                load.count++;
            } else {
                toPlace.add(vlan);
            }
        }
        PriorityQueue<Load> open = new PriorityQueue<>(ORDER);
        loads.values().stream().filter(this::canTake).forEach(open::add);
        TreeSet<Vlan> unplaced = new TreeSet<>();
        for (Vlan vlan : toPlace) {
            Load target = open.poll();
            if (target == null) {
                unplaced.add(vlan);
                continue;
            }
            HostId from = current.get(vlan);
            placements.put(vlan, target.capacity.host());
            moves.put(vlan, new PlacementPlan.Move(from, target.capacity.host(), from == null ? "new" : "host " + from + " lost"));
            target.count++;
            target.placedHere++;
            if (canTake(target)) {
                open.add(target);
            }
        }
        return new PlacementPlan(placements, moves, unplaced);
    }

    /**
     * One step of draining {@code host}: the plan that moves the lowest of its VLANs to another host, or a plan
     * with no moves when the host is empty or no other host can take it.
     */
    public PlacementPlan drainOne(HostId host, Collection<HostCapacity> live, Map<Vlan, HostId> current) {
        Objects.requireNonNull(host, "host is null");
        List<HostCapacity> others = new ArrayList<>();
        for (HostCapacity capacity : live) {
            if (!capacity.host().equals(host)) {
                others.add(capacity);
            }
        }
        Vlan first = current.entrySet().stream().filter(e -> e.getValue().equals(host)).map(Map.Entry::getKey)
                .min(Comparator.naturalOrder()).orElse(null);
        if (first == null) {
            return new PlacementPlan(current, Map.of(), Set.of());
        }
        // plan only the others' VLANs plus this one: the rest of the draining host's VLANs stay where they are
        Set<HostId> otherIds = new TreeSet<>();
        others.forEach(c -> otherIds.add(c.host()));
        Map<Vlan, HostId> onOthers = new HashMap<>(current);
        onOthers.values().removeIf(h -> !otherIds.contains(h));
        Set<Vlan> wanted = new TreeSet<>(onOthers.keySet());
        wanted.add(first);
        HostId to = place(wanted, others, onOthers).placements().get(first);
        if (to == null) {
            return new PlacementPlan(current, Map.of(), Set.of());
        }
        Map<Vlan, HostId> rest = new HashMap<>(current);
        rest.put(first, to);
        return new PlacementPlan(rest, Map.of(first, new PlacementPlan.Move(host, to, "host " + host + " draining")), Set.of());
    }

    private Map<HostId, Load> loads(Collection<HostCapacity> live) {
        Map<HostId, Load> loads = new HashMap<>();
        for (HostCapacity capacity : live) {
            if (loads.put(capacity.host(), new Load(capacity)) != null) {
                throw new IllegalArgumentException("host " + capacity.host() + " is listed twice");
            }
        }
        return loads;
    }

    private boolean canTake(Load load) {
        return !load.capacity.draining()
                && load.count < load.capacity.headnodeLimit()
                && load.freeAfter() >= headnodeMemoryMib;
    }

    private static final Comparator<Load> ORDER = Comparator
            .comparingDouble(Load::usedShare)
            .thenComparing(Comparator.comparingLong(Load::freeAfter).reversed())
            .thenComparing(l -> l.capacity.host());

    /** A host's capacity and the head nodes counted on it while planning. */
    private final class Load {
        final HostCapacity capacity;
        int placedHere;
        int count;

        Load(HostCapacity capacity) {
            this.capacity = capacity;
        }

        double usedShare() {
            return capacity.headnodeLimit() == 0 ? Double.MAX_VALUE : (double) count / capacity.headnodeLimit();
        }

        /** Free memory once the head nodes placed in this plan run (those kept were already counted by the host). */
        long freeAfter() {
            return capacity.freeMemoryMib() - (long) placedHere * headnodeMemoryMib;
        }
    }
}
