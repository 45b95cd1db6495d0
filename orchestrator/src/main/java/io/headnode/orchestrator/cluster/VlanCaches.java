package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * The specs and shares a host caches: those of the VLANs placed on it only ({@code /specs/<vlan>} and
 * {@code /share/<vlan>/...}, a cache each), started when a placement names this host and closed when the VLAN moves
 * away, so what a host fetches and holds grows with its own head nodes, not with the fleet. A VLAN's view is used
 * only once both its caches are primed. {@link #retain} runs on the member's thread; the views are read there too.
 */
final class VlanCaches implements AutoCloseable {
    private final CuratorFramework zk;
    private final Runnable changed;
    private final Map<Vlan, One> open = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private boolean closed;

    /** @param changed called on Curator's event thread on every event and once a VLAN's caches are primed */
    VlanCaches(CuratorFramework zk, Runnable changed) {
        this.zk = Objects.requireNonNull(zk, "zk is null");
        this.changed = Objects.requireNonNull(changed, "changed is null");
    }

    /** Caches exactly {@code vlans}: starts what is missing, closes what is no longer placed here. */
    synchronized void retain(Set<Vlan> vlans) {
        if (closed) {
            return; // a pass still running while the member closes opens nothing again
        }
        open.entrySet().removeIf(e -> {
            if (vlans.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
        for (Vlan v : vlans) {
            open.computeIfAbsent(v, One::new);
        }
    }

    /** The VLAN's spec and share nodes once both its caches are primed; empty while loading or not cached. */
    synchronized Optional<FleetSnapshot> view(Vlan vlan) {
        One one = open.get(vlan);
        return one == null || !one.primed() ? Optional.empty() : Optional.of(one.view());
    }

    /**
     * A number that grows with every change to the VLAN's cached nodes (from one sequence for all VLANs, so a VLAN
     * that moved away and back never repeats a number); -1 when it is not cached. Read it before {@link #view}: a
     * change in between shows as a newer version on the next read.
     */
    synchronized long version(Vlan vlan) {
        One one = open.get(vlan);
        return one == null ? -1 : one.version;
    }

    /** Waits until every VLAN cached now is primed; false if {@code millis} passed first. */
    boolean awaitPrimed(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (One one : snapshotOfOpen()) {
            if (!one.primed.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    private synchronized java.util.List<One> snapshotOfOpen() {
        return java.util.List.copyOf(open.values());
    }

    /** The VLANs cached now. */
    synchronized Set<Vlan> vlans() {
        return new TreeSet<>(open.keySet());
    }

    /** Every node path these caches hold, relative to the chroot (for tests). */
    synchronized Set<String> paths() {
        Set<String> out = new TreeSet<>();
        open.values().forEach(o -> o.nodes().forEach(d -> out.add(FleetSnapshot.relative(d.getPath()))));
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(One::close);
        open.clear();
    }

    /** One VLAN's two caches. */
    private final class One {
        final CuratorCache spec;
        final CuratorCache share;
        final CountDownLatch primed = new CountDownLatch(2);
        volatile long version = sequence.incrementAndGet();

        One(Vlan vlan) {
            spec = CuratorCache.build(zk, ClusterStore.specPath(vlan), CuratorCache.Options.SINGLE_NODE_CACHE);
            share = CuratorCache.build(zk, ClusterStore.SHARE + "/" + vlan.id());
            for (CuratorCache c : java.util.List.of(spec, share)) {
                c.listenable().addListener(new CuratorCacheListener() {
                    @Override
                    public void event(Type type, org.apache.curator.framework.recipes.cache.ChildData oldData,
                                      org.apache.curator.framework.recipes.cache.ChildData data) {
                        version = sequence.incrementAndGet();
                        changed.run();
                    }

                    @Override
                    public void initialized() {
                        version = sequence.incrementAndGet();
                        primed.countDown();
                        changed.run();
                    }
                });
                c.start();
            }
        }

        boolean primed() {
            return primed.getCount() == 0;
        }

        Stream<org.apache.curator.framework.recipes.cache.ChildData> nodes() {
            return Stream.concat(spec.stream(), share.stream());
        }

        FleetSnapshot view() {
            return FleetSnapshot.ofCache(nodes());
        }

        void close() {
            spec.close();
            share.close();
        }
    }
}
