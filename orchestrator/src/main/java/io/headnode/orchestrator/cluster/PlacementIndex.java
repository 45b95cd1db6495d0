package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet's placements decoded once per cache event and indexed by host, so a host's pass reads its own
 * placements without copying or decoding the whole fleet's. Fed by the placements cache's listener thread, read on
 * the member's thread.
 */
final class PlacementIndex {
    private final Map<Vlan, Placement> all = new HashMap<>();
    private final Map<HostId, Map<Vlan, Placement>> byHost = new HashMap<>();

    /**
     * A placement node was created or changed ({@code data}) or deleted ({@code null}); {@code path} is relative to
     * the chroot. A node that does not decode counts as no placement (the leader re-places it).
     */
    synchronized void update(String path, byte[] data) {
        Optional<Vlan> vlan = vlanOf(path);
        if (vlan.isEmpty()) {
            return;
        }
        Vlan v = vlan.get();
        Placement old = all.remove(v);
        if (old != null) {
            Map<Vlan, Placement> on = byHost.get(old.host());
            on.remove(v);
            if (on.isEmpty()) {
                byHost.remove(old.host());
            }
        }
        if (data == null) {
            return;
        }
        try {
            Placement p = Placement.decode(path, data);
            all.put(v, p);
            byHost.computeIfAbsent(p.host(), h -> new HashMap<>()).put(v, p);
        } catch (IllegalArgumentException e) {
            // a bad placement is as good as none
        }
    }

    /** The placements naming {@code host}, by VLAN (a copy). */
    synchronized Map<Vlan, Placement> on(HostId host) {
        return new TreeMap<>(byHost.getOrDefault(host, Map.of()));
    }

    /** Every placement (a copy): the leader's view. */
    synchronized Map<Vlan, Placement> all() {
        return new TreeMap<>(all);
    }

    private static Optional<Vlan> vlanOf(String path) {
        String prefix = ClusterStore.PLACEMENTS + "/";
        if (!path.startsWith(prefix) || path.indexOf('/', prefix.length()) >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Vlan(Integer.parseInt(path.substring(prefix.length()))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
