package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's decisions, with no I/O: from a {@link FleetView} and the time, the placements to write.
 *
 * <p>Fencing: a host whose ephemeral node is gone is held as "lost, waiting" for {@code grace} (the session timeout
 * plus a margin), counted from when this leader first saw it gone. Its VLANs stay where they are meanwhile (the host
 * is given to the {@link Placer} as draining with no room, so it keeps them and takes nothing): by the end of the
 * grace the lost host has destroyed its head nodes (it fences when its session is lost). A new leader counts the grace
 * from its own start, which only waits longer.
 *
 * <p>Draining ({@code /drain/<host>}): one VLAN moves per decision, and the next only once the previously moved head
 * node runs on its new host (that host reports it in its record with the move's epoch). A move that was overtaken
 * (the VLAN placed again, deleted, or its new host lost) no longer holds the drain. The move in flight is this
 * leader's memory: a new leader starts the next move without waiting for one made before it.
 */
public final class FleetPlanner {
    private final Placer placer;
    private final Duration grace;
    private final Map<HostId, Instant> lostSince = new HashMap<>();
    private Write drainInFlight;

    public FleetPlanner(Placer placer, Duration grace) {
        this.placer = Objects.requireNonNull(placer, "placer is null");
        this.grace = Objects.requireNonNull(grace, "grace is null");
    }

    /** One write the leader makes: a placement (with its next epoch) or, with {@code placement == null}, a removal. */
    public record Write(Vlan vlan, Placement placement, String reason) {
        public Write {
            Objects.requireNonNull(vlan, "vlan is null");
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    /** What to write now; empty when the placements are right (or must wait for a lost host's grace). */
    public List<Write> decide(FleetView fleet, Instant now) {
        Map<HostId, HostRecord> live = fleet.hosts();
        Map<Vlan, Placement> placements = fleet.placements();
        Set<Vlan> wanted = fleet.specVlans();
        Set<HostId> draining = fleet.draining();
        List<Write> writes = new ArrayList<>();
        for (Map.Entry<Vlan, Placement> e : placements.entrySet()) {
            if (!wanted.contains(e.getKey())) {
                writes.add(new Write(e.getKey(), null, "deleted"));
            }
        }
        lostSince.keySet().retainAll(placements.values().stream().map(Placement::host).toList());
        lostSince.keySet().removeAll(live.keySet());
        List<HostCapacity> capacities = new ArrayList<>();
        for (HostRecord r : live.values()) {
            HostCapacity c = r.capacity();
            capacities.add(draining.contains(c.host()) ? new HostCapacity(c.host(), c.freeMemoryMib(), c.headnodeLimit(), true) : c);
        }
        for (Placement p : placements.values()) {
            HostId h = p.host();
            if (!live.containsKey(h)) {
                Instant since = lostSince.computeIfAbsent(h, x -> now);
                if (now.isBefore(since.plus(grace)) && capacities.stream().noneMatch(c -> c.host().equals(h))) {
                    capacities.add(new HostCapacity(h, 0, 0, true)); // waiting out its fence: keeps, takes nothing
                }
            }
        }
        Map<Vlan, HostId> current = new TreeMap<>();
        placements.forEach((v, p) -> current.put(v, p.host()));
        PlacementPlan plan = placer.place(wanted, capacities, current);
        plan.moves().forEach((v, m) -> writes.add(new Write(v, new Placement(m.to(), nextEpoch(placements, v)), m.reason())));
        if (plan.changesNothing() && !drainWaits(fleet, live, placements)) {
            for (HostId h : draining) {
                if (!live.containsKey(h)) {
                    continue;
                }
                PlacementPlan d = placer.drainOne(h, capacities, plan.placements());
                if (!d.changesNothing()) {
                    d.moves().forEach((v, m) -> writes.add(new Write(v, new Placement(m.to(), nextEpoch(placements, v)), m.reason())));
                    drainInFlight = writes.get(writes.size() - 1);
                    break;
                }
            }
        }
        return writes;
    }

    /** True while the last drain move's head node is not yet reported running on its new host. */
    private boolean drainWaits(FleetView fleet, Map<HostId, HostRecord> live, Map<Vlan, Placement> placements) {
        if (drainInFlight == null) {
            return false;
        }
        Vlan v = drainInFlight.vlan();
        Placement p = drainInFlight.placement();
        HostRecord target = live.get(p.host());
        if (!p.equals(placements.get(v)) || target == null || !fleet.specVlans().contains(v) || target.runs(v, p)) {
            drainInFlight = null; // arrived, or overtaken
            return false;
        }
        return true;
    }

    /** The drain move whose head node has not been reported running yet (null when none). */
    public Write drainInFlight() {
        return drainInFlight;
    }

    /** Hosts gone but still inside their grace, with when the grace ends: what {@code hosts list} shows as "lost". */
    public Map<HostId, Instant> waiting() {
        Map<HostId, Instant> out = new TreeMap<>();
        lostSince.forEach((h, t) -> out.put(h, t.plus(grace)));
        return out;
    }

    /** When the earliest grace of a lost host ends: the plan may change then without any change in the fleet. */
    public java.util.Optional<Instant> nextGraceEnd() {
        return lostSince.values().stream().min(Instant::compareTo).map(t -> t.plus(grace));
    }

    private static long nextEpoch(Map<Vlan, Placement> placements, Vlan v) {
        Placement old = placements.get(v);
        return old == null ? 1 : old.epoch() + 1;
    }
}
