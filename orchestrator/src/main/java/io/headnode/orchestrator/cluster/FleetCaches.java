package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * The subtrees every host caches, all small whatever the fleet's size in bytes: {@code /placements} (indexed by host
 * as events arrive, {@link PlacementIndex}), {@code /hosts}, {@code /drain} and {@code /images}. Specs and shares
 * are not here: a host caches those of its own VLANs only ({@link VlanCaches}).
 */
final class FleetCaches implements AutoCloseable {
    /** What the member hears from these caches (on Curator's event thread: hand work to the member's thread). */
    interface Events {
        void changed();

        void imagesChanged();

        /** Every cache here holds its whole subtree (once). */
        void loaded();
    }

    private final CuratorCache placements;
    private final CuratorCache hosts;
    private final CuratorCache drain;
    private final CuratorCache images;
    private final List<CuratorCache> others;
    private final PlacementIndex index = new PlacementIndex();
    private final CountDownLatch primed;

    FleetCaches(CuratorFramework zk) {
        Objects.requireNonNull(zk, "zk is null");
        this.placements = CuratorCache.build(zk, ClusterStore.PLACEMENTS);
        this.hosts = CuratorCache.build(zk, ClusterStore.HOSTS);
        this.drain = CuratorCache.build(zk, ClusterStore.DRAIN);
        this.images = CuratorCache.build(zk, ClusterStore.IMAGES);
        this.others = List.of(hosts, drain, images);
        this.primed = new CountDownLatch(1 + others.size());
    }

    void start(Events events) {
        Objects.requireNonNull(events, "events is null");
        placements.listenable().addListener(listener(events, (old, data) -> {
            ChildData d = data != null ? data : old;
            index.update(FleetSnapshot.relative(d.getPath()), data == null ? null : data.getData());
        }));
        for (CuratorCache c : others) {
            c.listenable().addListener(listener(events, (old, data) -> {
                if (c == images) {
                    events.imagesChanged();
                }
            }));
        }
        placements.start();
        others.forEach(CuratorCache::start);
    }

    private CuratorCacheListener listener(Events events, java.util.function.BiConsumer<ChildData, ChildData> first) {
        return new CuratorCacheListener() {
            @Override
            public void event(Type type, ChildData oldData, ChildData data) {
                first.accept(oldData, data);
                events.changed();
            }

            @Override
            public void initialized() {
                primed.countDown();
                if (primed.getCount() == 0) {
                    events.loaded();
                }
            }
        };
    }

    /** Whether every cache here holds its whole subtree: before, an empty or partial view must not act. */
    boolean loaded() {
        return primed.getCount() == 0;
    }

    boolean awaitLoaded(long millis) throws InterruptedException {
        return primed.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The placements naming {@code host}: costs that host's VLANs, not the fleet's. */
    Map<Vlan, Placement> placementsOn(HostId host) {
        return index.on(host);
    }

    /**
     * The leader's view: the placements as the index decoded them (no copy of the placement nodes, no second decode),
     * the hosts and drain marks, and the spec names it read ({@link SpecNames}).
     */
    FleetView leaderView(Set<Vlan> specNames) {
        FleetSnapshot small = FleetSnapshot.ofCache(Stream.concat(hosts.stream(), drain.stream()));
        return new FleetView(index.all(), small.hosts(), specNames, small.draining());
    }

    /** The fleet's image catalog, from the cache. */
    FleetImages images() {
        return FleetSnapshot.ofCache(images.stream()).images();
    }

    /** Every node path these caches hold, relative to the chroot (for tests). */
    Set<String> paths() {
        Set<String> out = new java.util.TreeSet<>();
        nodes().forEach(d -> out.add(FleetSnapshot.relative(d.getPath())));
        return out;
    }

    private Stream<ChildData> nodes() {
        return Stream.concat(Stream.of(placements), others.stream()).flatMap(CuratorCache::stream);
    }

    @Override
    public void close() {
        placements.close();
        others.forEach(CuratorCache::close);
    }
}
