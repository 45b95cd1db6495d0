package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet's placements decoded once per cache event, so the leader's decisions do not copy or decode the whole
 * fleet's nodes each time. Fed by the leader's placements cache's listener thread, read on the leader's thread.
 * (A host learns its own placements from its assignment node, {@link HostAssignment}.)
 */
final class PlacementIndex {
    private final Map<Vlan, Placement> all = new HashMap<>();

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
        all.remove(v);
        if (data == null) {
            return;
        }
        try {
            all.put(v, Placement.decode(path, data));
        } catch (IllegalArgumentException e) {
            // a bad placement is as good as none
        }
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
