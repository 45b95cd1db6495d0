package io.headnode.orchestrator.cluster;

import io.headnode.common.kv.KvException;
import io.headnode.contract.Vlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One consistent-enough read of nodes from the member's local caches (Curator's {@code CuratorCache}): paths
 * relative to the chroot mapped to their data. A placed VLAN's is of its own spec and share ({@link VlanCaches}); the
 * image catalog's of {@code /images}. (The leader decides from a decoded {@link FleetView}.)
 */
public record FleetSnapshot(Map<String, byte[]> nodes) {
    /** Sorted, so one VLAN's or one parent's nodes are a range: a host's pass costs its own VLANs, not a scan each. */
    public FleetSnapshot {
        nodes = java.util.Collections.unmodifiableNavigableMap(new java.util.TreeMap<>(nodes));
    }

    private java.util.NavigableMap<String, byte[]> sorted() {
        return (java.util.NavigableMap<String, byte[]>) nodes;
    }

    /** The nodes under {@code prefix} (which ends in '/'), as a range of the sorted map. */
    private java.util.SortedMap<String, byte[]> under(String prefix) {
        return sorted().subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    public Set<Vlan> specVlans() {
        return vlansUnder(ClusterStore.SPECS);
    }

    public Optional<byte[]> spec(Vlan vlan) {
        return Optional.ofNullable(nodes.get(ClusterStore.specPath(vlan)));
    }

    /** The VLAN's share files by relative name (nodes with children are directories, not files). */
    public Map<String, byte[]> shareFiles(Vlan vlan) {
        String prefix = ClusterStore.SHARE + "/" + vlan.id() + "/";
        Map<String, byte[]> out = new TreeMap<>();
        under(prefix).forEach((path, data) -> {
            String rel = path.substring(prefix.length());
            // requests/ is a directory even while empty (a container node before its first child or after the last)
            if (!isParent(path) && !rel.equals(io.headnode.contract.InstallRequest.DIRECTORY)) {
                out.put(rel, data);
            }
        });
        return out;
    }

    public Map<Vlan, Placement> placements() {
        Map<Vlan, Placement> out = new TreeMap<>();
        for (Vlan v : vlansUnder(ClusterStore.PLACEMENTS)) {
            try {
                out.put(v, Placement.decode(ClusterStore.placementPath(v), nodes.get(ClusterStore.placementPath(v))));
            } catch (IllegalArgumentException e) {
                // a bad placement is as good as none: the leader re-places it
            }
        }
        return out;
    }

    public Map<HostId, HostRecord> hosts() {
        Map<HostId, HostRecord> out = new TreeMap<>();
        for (String name : childNames(ClusterStore.HOSTS)) {
            try {
                HostId h = new HostId(name);
                out.put(h, HostRecord.decode(h, ClusterStore.hostPath(h), nodes.get(ClusterStore.hostPath(h))));
            } catch (IllegalArgumentException | KvException e) {
                // not a usable host
            }
        }
        return out;
    }

    /** The fleet's image catalog ({@code /images/NAME.image}). */
    public FleetImages images() {
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : childNames(ClusterStore.IMAGES)) {
            out.put(name, nodes.get(ClusterStore.IMAGES + "/" + name));
        }
        return FleetImages.decode(out);
    }

    /** Hosts an admin asked to drain ({@code headnode drain --host H}: {@code /drain/<host>}). */
    public Set<HostId> draining() {
        Set<HostId> out = new TreeSet<>();
        for (String name : childNames(ClusterStore.DRAIN)) {
            try {
                out.add(new HostId(name));
            } catch (IllegalArgumentException e) {
                // not a host name
            }
        }
        return out;
    }

    private boolean isParent(String path) {
        String p = path + "/";
        String next = sorted().ceilingKey(p);
        return next != null && next.startsWith(p);
    }

    private Set<String> childNames(String parent) {
        Set<String> out = new TreeSet<>();
        String prefix = parent + "/";
        for (String path : under(prefix).keySet()) {
            if (path.indexOf('/', prefix.length()) < 0) {
                out.add(path.substring(prefix.length()));
            }
        }
        return out;
    }

    private Set<Vlan> vlansUnder(String parent) {
        Set<Vlan> out = new TreeSet<>();
        for (String name : childNames(parent)) {
            try {
                out.add(new Vlan(Integer.parseInt(name)));
            } catch (IllegalArgumentException e) {
                // not a VLAN id
            }
        }
        return out;
    }

    /** Builds a snapshot from (path, data) pairs, dropping nodes without data and the chroot's own prefix. */
    public static FleetSnapshot of(Iterable<Map.Entry<String, byte[]>> entries) {
        Map<String, byte[]> m = new HashMap<>();
        for (Map.Entry<String, byte[]> e : entries) {
            m.put(relative(e.getKey()), e.getValue() == null ? new byte[0] : e.getValue());
        }
        return new FleetSnapshot(m);
    }

    /** Builds a snapshot from a cache's nodes ({@link #of}). */
    static FleetSnapshot ofCache(java.util.stream.Stream<org.apache.curator.framework.recipes.cache.ChildData> nodes) {
        return of(nodes.map(d -> (Map.Entry<String, byte[]>) new java.util.AbstractMap.SimpleImmutableEntry<>(d.getPath(), d.getData()))::iterator);
    }

    /** A cache's node path relative to the chroot (Curator may report it with the namespace in front). */
    static String relative(String path) {
        String ns = "/" + ClusterConnection.NAMESPACE;
        return path.startsWith(ns + "/") ? path.substring(ns.length()) : path;
    }
}
