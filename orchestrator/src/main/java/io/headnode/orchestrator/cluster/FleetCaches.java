package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a host caches of the fleet, all small whatever the fleet's size: its own {@code /assigned/<host>}
 * ({@link HostAssignment}) and {@code /images}. Specs and shares are not here: a host caches those of its own VLANs
 * only ({@link VlanCaches}). What only the leader reads it caches once a member first leads ({@link #startLeader}):
 * {@code /hosts}, {@code /drain} and every {@code /assigned} node (the placements themselves it reads and keeps
 * without a watch, {@link LeaderPlacements}). A host that never leads never reads another host's record or
 * placements: every host's registration changes as its head nodes come up, and with {@code /hosts} cached
 * everywhere each change was a read and a pass on every host (hosts squared).
 */
final class FleetCaches implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FleetCaches.class);

    /** What the member hears from these caches (on Curator's event thread: hand work to the member's thread). */
    interface Events {
        /** This host's assignment changed. */
        void changed();

        /** Something only the leader reads changed (a host, a drain mark, an assignment). */
        void leaderChanged();

        void imagesChanged();

        /** Every host cache here holds its whole subtree (once). */
        void loaded();
    }

    private final CuratorFramework zk;
    private final HostId me;
    private final CuratorCache mine;
    private final CuratorCache images;
    private final CountDownLatch primed = new CountDownLatch(2);
    private volatile Map<Vlan, Placement> mineLastGood = Map.of();
    private Events events;
    // the leader's caches, made once on its first leadership
    private volatile CuratorCache hosts;
    private volatile CuratorCache drain;
    private volatile CuratorCache assigned;
    private final CountDownLatch leaderPrimed = new CountDownLatch(3);

    FleetCaches(CuratorFramework zk, HostId me) {
        this.zk = Objects.requireNonNull(zk, "zk is null");
        this.me = Objects.requireNonNull(me, "me is null");
        this.mine = CuratorCache.build(zk, ClusterStore.assignedPath(me), CuratorCache.Options.SINGLE_NODE_CACHE);
        this.images = CuratorCache.build(zk, ClusterStore.IMAGES);
    }

    void start(Events events) {
        this.events = Objects.requireNonNull(events, "events is null");
        mine.listenable().addListener(listener(primed, () -> {
            events.changed();
            if (primed.getCount() == 0) {
                events.loaded();
            }
        }, (old, data) -> {
            decodeMine(data);
            events.changed();
        }));
        images.listenable().addListener(listener(primed, () -> {
            if (primed.getCount() == 0) {
                events.loaded();
            }
        }, (old, data) -> events.imagesChanged()));
        mine.start();
        images.start();
    }

    /** Starts the leader's caches of the hosts, drain marks and assignments (once; they stay until {@link #close}). */
    synchronized void startLeader() {
        if (assigned != null) {
            return;
        }
        hosts = CuratorCache.build(zk, ClusterStore.HOSTS);
        drain = CuratorCache.build(zk, ClusterStore.DRAIN);
        assigned = CuratorCache.build(zk, ClusterStore.ASSIGNED);
        for (CuratorCache c : List.of(hosts, drain, assigned)) {
            c.listenable().addListener(listener(leaderPrimed, events::leaderChanged, (old, data) -> events.leaderChanged()));
            c.start();
        }
    }

    /** Whether the leader's caches hold every host, drain mark and assignment. */
    boolean leaderLoaded() {
        return assigned != null && leaderPrimed.getCount() == 0;
    }

    private void decodeMine(ChildData data) {
        if (data == null) {
            mineLastGood = Map.of(); // no assignment node: nothing is placed here
            return;
        }
        try {
            mineLastGood = Map.copyOf(HostAssignment.decode(data.getPath(), data.getData()).placements(me));
        } catch (IllegalArgumentException e) {
            log.error("{} (the last good assignment stays in force)", e.getMessage());
        }
    }

    private static CuratorCacheListener listener(CountDownLatch latch, Runnable onInitialized,
                                                 java.util.function.BiConsumer<ChildData, ChildData> onEvent) {
        return new CuratorCacheListener() {
            @Override
            public void event(Type type, ChildData oldData, ChildData data) {
                onEvent.accept(oldData, data);
            }

            @Override
            public void initialized() {
                latch.countDown();
                onInitialized.run();
            }
        };
    }

    /** Whether this host's own caches hold their whole subtrees: before, an empty or partial view must not act. */
    boolean loaded() {
        return primed.getCount() == 0;
    }

    boolean awaitLoaded(long millis) throws InterruptedException {
        return primed.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The placements on this host, from its assignment node (the last that decoded). */
    Map<Vlan, Placement> placementsOnMe() {
        return new TreeMap<>(mineLastGood);
    }

    /**
     * The leader's view (only once {@link #leaderLoaded}): the placements it holds ({@link LeaderPlacements}), the
     * hosts and drain marks, and the spec names it read ({@link SpecNames}).
     */
    FleetView leaderView(Set<Vlan> specNames, Map<Vlan, Placement> placements) {
        FleetSnapshot small = FleetSnapshot.ofCache(Stream.concat(hosts.stream(), drain.stream()));
        return new FleetView(placements, small.hosts(), specNames, small.draining());
    }

    /** The assignments as the leader's cache holds them (one that does not decode reads as empty: it is rewritten). */
    Map<HostId, HostAssignment> assignments() {
        Map<HostId, HostAssignment> out = new TreeMap<>();
        CuratorCache a = assigned;
        if (a == null) {
            return out;
        }
        String prefix = ClusterStore.ASSIGNED + "/";
        a.stream().forEach(d -> {
            String rel = FleetSnapshot.relative(d.getPath());
            if (!rel.startsWith(prefix) || rel.indexOf('/', prefix.length()) >= 0) {
                return;
            }
            HostId host;
            try {
                host = new HostId(rel.substring(prefix.length()));
            } catch (IllegalArgumentException e) {
                return;
            }
            try {
                out.put(host, HostAssignment.decode(rel, d.getData() == null ? new byte[0] : d.getData()));
            } catch (IllegalArgumentException e) {
                // left out: the leader writes it again
            }
        });
        return out;
    }

    /** The fleet's image catalog, from the cache. */
    FleetImages images() {
        return FleetSnapshot.ofCache(images.stream()).images();
    }

    /** Every node path these caches hold, relative to the chroot (for tests). */
    Set<String> paths() {
        Set<String> out = new java.util.TreeSet<>();
        caches().stream().flatMap(CuratorCache::stream).forEach(d -> out.add(FleetSnapshot.relative(d.getPath())));
        return out;
    }

    private synchronized List<CuratorCache> caches() {
        List<CuratorCache> all = new ArrayList<>(List.of(mine, images));
        if (assigned != null) {
            all.addAll(List.of(hosts, drain, assigned));
        }
        return all;
    }

    @Override
    public synchronized void close() {
        caches().forEach(CuratorCache::close);
    }
}
