package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.KeeperException;

/**
 * The leader's list of the VLANs that have a spec: the children of {@code /specs} (names only, never the specs'
 * bytes), read in the background with a children watch and read again when it fires, only while this host leads
 * ({@link #current}); a host that is not leader holds none ({@link #forget}). The read never blocks the member's
 * thread (its fencing decisions must not wait behind a ZooKeeper that does not answer).
 */
final class SpecNames {
    private final CuratorFramework zk;
    private final Runnable changed;
    private final CuratorWatcher watcher;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile boolean stale = true;
    /** The last complete listing, or null: none since {@link #forget}. */
    private volatile Set<Vlan> names;
    private volatile long generation;

    /** @param changed called (on Curator's event thread) when the list changed or a read completed */
    SpecNames(CuratorFramework zk, Runnable changed) {
        this.zk = Objects.requireNonNull(zk, "zk is null");
        this.changed = Objects.requireNonNull(changed, "changed is null");
        this.watcher = event -> {
            stale = true;
            changed.run();
        };
    }

    /**
     * The VLANs with a spec as last read; empty until a first complete read since {@link #forget}. Starts a read
     * when the list changed since the last one. A listing older than a change is safe for the leader: it misses only
     * new specs (placed on the next decision) or keeps a deleted one a moment longer.
     */
    Optional<Set<Vlan>> current() throws Exception {
        if (stale && reading.compareAndSet(false, true)) {
            stale = false; // before the read: a change during it marks the list stale again
            long gen = generation;
            try {
                zk.getChildren().usingWatcher(watcher).inBackground((client, event) -> {
                    reading.set(false);
                    if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
                        stale = true; // retried on the next decision
                        return;
                    }
                    if (gen == generation) {
                        names = parse(event.getChildren());
                        changed.run();
                    }
                }).forPath(ClusterStore.SPECS);
            } catch (Exception e) {
                reading.set(false);
                stale = true;
                throw e;
            }
        }
        return Optional.ofNullable(names);
    }

    /** Not leader (or reconnected: a watch may be gone with an expired session): read again before the next use. */
    void forget() {
        generation++;
        stale = true;
        names = null;
    }

    private static Set<Vlan> parse(List<String> children) {
        Set<Vlan> out = new TreeSet<>();
        for (String name : children) {
            try {
                out.add(new Vlan(Integer.parseInt(name)));
            } catch (IllegalArgumentException e) {
                // not a VLAN id
            }
        }
        return Set.copyOf(out);
    }
}
