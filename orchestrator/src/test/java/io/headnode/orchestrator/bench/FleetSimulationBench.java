package io.headnode.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.TestSpecs;
import io.headnode.orchestrator.cluster.ClusterConnection;
import io.headnode.orchestrator.cluster.ClusterMember;
import io.headnode.orchestrator.cluster.ClusterSecret;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.HostCapacity;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.LocalShareHeadnodes;
import io.headnode.orchestrator.cluster.Placement;
import io.headnode.orchestrator.cluster.Placer;
import io.headnode.orchestrator.config.ClusterConfig;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.service.ReconcileService;
import io.headnode.orchestrator.spec.SpecCodec;
import io.headnode.testing.Command;
import io.headnode.testing.ZooKeeperEnsemble;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: issue 11's simulation through real ZooKeeper (Debian's zookeeper, 3 server processes on
 * loopback). N simulated hypervisors run in this JVM, each exactly what {@code headnode reconcile --every} runs in
 * cluster mode: its own ZooKeeper session and {@link ClusterMember} (registration, election, cache, local mirror),
 * and (on the sampled hosts) its own {@link ReconcileService} with the real pipeline (specs, shares, AppArmor check, qcow2
 * overlays, domain rendering); every host has its own libvirt connection: a private in-memory test driver ({@code test:///<dir>/node.xml};
 * every {@code test:///default} connection of one process shares one state, so a lost host's domains would not go
 * with it). Only bridges are faked ({@link FakeVlanNetwork}: no namespaces with 4,094 bridges).
 *
 * <p>Per fleet size (40 hosts x 4,094 VLANs, then 10 hosts x 1,024, both ~102 head nodes a host): the admin writes
 * the specs and install keys as {@code headnode create} does (transactions of 500 VLANs), the leader places them (timed to the last placement seen in ZooKeeper, and to
 * every host's local specs), the balance; then the sampled hosts' services build their head nodes (not a target: the
 * same work a single host does; all 4,094 at once do not fit the shared machine), then a sampled host's steady-state pass (its member's pass: fleet cache -> local specs, and its
 * reconcile pass over its own head nodes), and with 40 hosts the re-placement of a lost host's head nodes.
 */
class FleetSimulationBench {
    static final ClusterSecret SECRET = new ClusterSecret("fleet-simulation-secret-0123");
    static final int TICK_MS = 1_000;        // sessions up to 20 s: 40 sessions on 2 shared cores (6 s ones expired at load 40)
    static final int SESSION_MS = 15_000;    // the leader's grace is twice this
    static final int LIMIT = 120;
    static final int SAMPLES = Integer.getInteger("bench.samples", 3);

    /** One simulated hypervisor. */
    static final class SimHost {
        final HostId id;
        final TestHost host;
        final Injector injector;
        final LocalShareHeadnodes local;
        final Hypervisor hypervisor;
        final CuratorFramework client;
        final ClusterMember member;
        final Map<Vlan, Long> changedAt = new ConcurrentHashMap<>();
        volatile ReconcileService service;
        Thread serviceThread;

        SimHost(Path root, String name, String connect) throws Exception {
            id = new HostId(name);
            Files.createDirectories(root);
            Path node = root.resolve("node.xml");
            Files.writeString(node, "<node/>\n");
            host = new TestHost(root, "test://" + node.toAbsolutePath(), List.of(), "br0", new AbstractModule() {
                @Override
                protected void configure() {
                    bind(io.headnode.orchestrator.net.VlanNetwork.class).toInstance(new FakeVlanNetwork());
                }
            });
            injector = host.injector();
            local = injector.getInstance(LocalShareHeadnodes.class);
            hypervisor = injector.getInstance(Hypervisor.class);
            ClusterConfig c = new ClusterConfig(connect, Path.of("/etc/headnode/cluster.secret"), name, LIMIT, SESSION_MS);
            client = ClusterConnection.open(c, SECRET);
            member = new ClusterMember(new ClusterStore(client), id, connect, SESSION_MS, local,
                    () -> new HostCapacity(id, 64 * 1024, LIMIT, false), List.of("br0"), v -> {
                        changedAt.put(v, System.nanoTime());
                        ReconcileService s = service;
                        if (s != null) {
                            s.request(v);
                        }
                    }, new Placer(128), Duration.ofSeconds(2), Clock.systemUTC());
            member.start();
        }

        /** The host's service, as {@code reconcile --every 1h --no-events}: a full pass at start, then on requests. */
        void startService() {
            ReconcileService s = injector.getInstance(ReconcileService.class);
            serviceThread = new Thread(() -> s.run(Duration.ofHours(1), false, new PrintWriter(OutputStream.nullOutputStream())), "service-" + id);
            serviceThread.setDaemon(true);
            service = s;
            serviceThread.start();
        }

        Set<Vlan> runningDomains() {
            Set<Vlan> out = new java.util.TreeSet<>();
            for (String n : hypervisor.domainNames()) {
                if (n.startsWith("headnode-vlan") && hypervisor.state(n) == RunState.RUNNING) {
                    out.add(new Vlan(Integer.parseInt(n.substring("headnode-vlan".length()))));
                }
            }
            return out;
        }

        /** The host dies: its service, session and libvirt (its in-memory domains) go at once. */
        void kill() throws Exception {
            member.close();
            client.close();
            if (service != null) {
                service.stop();
                serviceThread.join(30_000);
            }
            hypervisor.close();
        }
    }

    record Result(int hosts, int vlans, double specsS, double listedAfterSpecsS, double committedAfterSpecsS, double placedAfterSpecsS, double placedTotalS, double localS, int max, int min,
                  double buildS, List<String> steady, String replace, String load) {
    }

    @Test
    void simulate() throws Exception {
        Path tmp = Files.createTempDirectory("hnfleet");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")); // QEMU's user enters the shares
        Path image = tmp.resolve("base.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "1G");
        List<Result> results = new ArrayList<>();
        try {
            results.add(phase(tmp.resolve("f40"), 40, 4094, image, true));
            results.add(phase(tmp.resolve("f10"), 10, 1024, image, false));
        } finally {
            Command.run("rm", "-rf", tmp.toString());
        }
        StringBuilder r = new StringBuilder("| hosts | VLANs | specs written (s) | placed: every placement node listed, after the last spec (s) "
                + "| placed: newest placement's mtime, after the last spec (s) | in an observer's cache, after the last spec (s) | in the cache, after the first spec (s) "
                + "| every host's local specs (s) | balance max/min | sampled hosts' services built their head nodes (s) | load (1-min, start/end) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result x : results) {
            r.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d/%d = %.3fx | %.1f | %s |%n", x.hosts(), x.vlans(), x.specsS(),
                    x.listedAfterSpecsS(), x.committedAfterSpecsS(), x.placedAfterSpecsS(), x.placedTotalS(), x.localS(), x.max(), x.min(), (double) x.max() / x.min(), x.buildS(), x.load()));
        }
        r.append("\nSteady state of sampled hosts (nothing to change): the member's pass (fleet cache -> local specs and shares, "
                + "registration) and the host's reconcile pass over its own head nodes (best of 3):\n\n| hosts | host | head nodes | member pass (ms) | reconcile pass (ms) |\n|---|---|---|---|---|\n");
        for (Result x : results) {
            x.steady().forEach(l -> r.append("| ").append(x.hosts()).append(" | ").append(l).append(" |\n"));
        }
        for (Result x : results) {
            if (x.replace() != null) {
                r.append("\n").append(x.replace()).append("\n");
            }
        }
        System.out.print(r);
        Files.writeString(Path.of("target/bench-fleet-simulation.md"), r.toString());
    }

    static void progress(String line) {
        System.out.println("BENCH " + line);
        System.out.flush();
    }

    static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    static void await(String what, Duration max, Duration poll, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    static double s(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }

    Result phase(Path dir, int n, int vlans, Path image, boolean replace) throws Exception {
        String loadStart = load();
        List<SimHost> hosts = new ArrayList<>();
        try (ZooKeeperEnsemble zk = ZooKeeperEnsemble.start(dir.resolve("zk"), 3, TICK_MS)) {
            CuratorFramework admin = ClusterConnection.open(new ClusterConfig(zk.connectString(), Path.of("/etc/headnode/cluster.secret"), "", LIMIT, SESSION_MS), SECRET);
            try {
                ClusterStore store = new ClusterStore(admin);
                store.ensureLayout();
                for (int h = 1; h <= n; h++) {
                    hosts.add(new SimHost(dir.resolve("hv" + h), "hv" + h, zk.connectString()));
                }
                await("all hosts registered", Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                    try {
                        return store.hosts().size() == n;
                    } catch (Exception e) {
                        return false;
                    }
                });
                // the bench's own view of the placements: when each VLAN's placement last changed, and to what
                Map<Vlan, Placement> placements = new ConcurrentHashMap<>();
                Map<Vlan, Long> placedAt = new ConcurrentHashMap<>();
                // when the leader's transaction committed each placement: the node's mtime (the ZooKeeper leader's wall
                // clock, the same machine's), which does not include how late the observer's cache heard of it
                Map<Vlan, Long> committedAt = new ConcurrentHashMap<>();
                // on a session of its own: ZooKeeper answers a session's requests in order, so on the admin's session
                // the cache's reads of every new placement would queue the admin's spec writes behind them
                CuratorFramework observer = ClusterConnection.open(new ClusterConfig(zk.connectString(), Path.of("/etc/headnode/cluster.secret"), "", LIMIT, SESSION_MS), SECRET);
                // lists the placements to time them, on a session of its own: on the observer's, the listing queued behind
                // the cache's reads of every new node (2.4 s late once)
                CuratorFramework lister = ClusterConnection.open(new ClusterConfig(zk.connectString(), Path.of("/etc/headnode/cluster.secret"), "", LIMIT, SESSION_MS), SECRET);
                CuratorCache view = CuratorCache.build(observer, ClusterStore.PLACEMENTS);
                view.listenable().addListener((type, oldData, data) -> {
                    String path = data == null ? "" : data.getPath().replaceFirst("^/" + ClusterConnection.NAMESPACE + "/", "/");
                    if (path.startsWith(ClusterStore.PLACEMENTS + "/")) {
                        Vlan v = new Vlan(Integer.parseInt(path.substring(ClusterStore.PLACEMENTS.length() + 1)));
                        placements.put(v, Placement.decode(path, data.getData()));
                        placedAt.put(v, System.nanoTime());
                        committedAt.put(v, data.getStat().getMtime());
                    }
                });
                view.start();
                try {
                    // the admin declares every VLAN as `headnode create` does in cluster mode: its spec and its install
                    // key (/share/<vlan>/install.key), 500 VLANs a transaction. Without the key every host would make
                    // one from its pass (ClusterStore.ensureInstallKey, for VLANs declared before keys existed): 4,094
                    // extra single writes to the ensemble while the leader places.
                    List<Map<String, String>> zkBefore = zkStats(zk);
                    long t0 = System.nanoTime();
                    long t0Wall = System.currentTimeMillis();
                    List<Long> specBatches = new ArrayList<>();
                    List<CuratorOp> ops = new ArrayList<>();
                    java.security.SecureRandom random = new java.security.SecureRandom();
                    for (int v = 1; v <= vlans; v++) {
                        Vlan vlan = new Vlan(v);
                        byte[] spec = SpecCodec.render(TestSpecs.spec(v, "br0", image));
                        ops.add(admin.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(ClusterStore.specPath(vlan), spec));
                        ops.add(admin.transactionOp().create().withMode(CreateMode.CONTAINER).forPath(ClusterStore.SHARE + "/" + v));
                        ops.add(admin.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(
                                ClusterStore.sharePath(vlan, io.headnode.contract.InstallKey.FILE_NAME), io.headnode.contract.InstallKey.generate(random).render()));
                        if (ops.size() == 3 * 500 || v == vlans) {
                            admin.transaction().forOperations(ops);
                            ops.clear();
                            specBatches.add(System.nanoTime());
                        }
                    }
                    long t1 = System.nanoTime();
                    long t1Wall = System.currentTimeMillis();
                    // placed = every placement node visible to a client: one listing every 50 ms
                    await("every VLAN's placement node listed", Duration.ofSeconds(120), Duration.ofMillis(50), () -> {
                        try {
                            return lister.getChildren().forPath(ClusterStore.PLACEMENTS).size() == vlans;
                        } catch (Exception e) {
                            return false;
                        }
                    });
                    long tListed = System.nanoTime();
                    await("every VLAN placed", Duration.ofSeconds(120), Duration.ofMillis(10), () -> placements.size() == vlans);
                    long t2 = placedAt.values().stream().mapToLong(x -> x).max().orElseThrow();
                    double committed = (committedAt.values().stream().mapToLong(x -> x).max().orElseThrow() - t1Wall) / 1e3;
                    Map<HostId, Integer> counts = new TreeMap<>();
                    placements.values().forEach(p -> counts.merge(p.host(), 1, Integer::sum));
                    int max = counts.values().stream().mapToInt(x -> x).max().orElseThrow();
                    int min = counts.values().stream().mapToInt(x -> x).min().orElseThrow();
                    assertThat(counts).hasSize(n);
                    progress(String.format(Locale.ROOT, "%d hosts, %d VLANs: specs written %.2f s; all placed: listed %.2f s after the last spec "
                            + "(%.2f s after the first), stamped (mtime) %.2f s after it; all in the observer's cache %.2f s after the last spec "
                            + "(%.2f s after the first); balance %d/%d; load %s",
                            n, vlans, s(t0, t1), s(t1, tListed), s(t0, tListed), committed, s(t1, t2), s(t0, t2), max, min, load()));
                    progress("ZooKeeper during the placement (per member: requests received, mode, latency min/avg/max ms at the end): "
                            + zkDelta(zkBefore, zkStats(zk)));
                    progress("timeline (s after the first spec): spec batches written at " + specBatches.stream()
                            .map(b -> String.format(Locale.ROOT, "%.1f", s(t0, b))).toList() + "; VLANs placed per second: committed " + perSecond(t0Wall * 1_000_000L, committedAt.values().stream().map(ms -> ms * 1_000_000L).toList())
                            + ", seen " + perSecond(t0, placedAt.values()));
                    await("every host's local specs", Duration.ofSeconds(180), Duration.ofMillis(250), () -> hosts.stream().allMatch(h -> {
                        try {
                            return h.local.vlans().equals(vlansOn(placements, h.id));
                        } catch (Exception e) {
                            return false;
                        }
                    }));
                    long t3 = hosts.stream().flatMap(h -> h.changedAt.values().stream()).mapToLong(x -> x).max().orElseThrow();
                    progress(String.format(Locale.ROOT, "every host's local specs %.2f s after the last spec", s(t1, t3)));

                    // the sampled hosts' services build their head nodes (the work any host does; not a target here).
                    // Only those: 4,094 qcow2 overlays and domains at once do not fit the shared 2-core machine.
                    long b0 = System.nanoTime();
                    List<SimHost> sampled = hosts.subList(0, Math.min(SAMPLES, hosts.size()));
                    sampled.forEach(SimHost::startService);
                    await("the sampled hosts' head nodes running", Duration.ofMinutes(10), Duration.ofSeconds(1), () -> sampled.stream()
                            .allMatch(h -> h.runningDomains().equals(vlansOn(placements, h.id))));
                    double build = s(b0, System.nanoTime());
                    progress(String.format(Locale.ROOT, "the %d sampled hosts' services built their head nodes in %.1f s; load %s", sampled.size(), build, load()));

                    List<String> steady = new ArrayList<>();
                    for (SimHost h : sampled) {
                        Reconciler reconciler = h.injector.getInstance(Reconciler.class);
                        long best = Long.MAX_VALUE;
                        List<Long> memberPasses = new ArrayList<>();
                        for (int i = 0; i < 3; i++) {
                            long p0 = System.nanoTime();
                            List<VlanReport> reports = reconciler.reconcileAll(false);
                            best = Math.min(best, System.nanoTime() - p0);
                            assertThat(reports.stream().filter(VlanReport::changed).map(VlanReport::describe).toList()).isEmpty();
                            Thread.sleep(2_100); // a periodic member pass in between
                            memberPasses.add(h.member.lastPassDuration().toNanos());
                        }
                        memberPasses.sort(null);
                        steady.add(String.format(Locale.ROOT, "%s | %d | %.1f | %.1f", h.id, h.local.vlans().size(), memberPasses.get(1) / 1e6, best / 1e6));
                        progress("steady state " + steady.get(steady.size() - 1) + "; load " + load());
                    }

                    String replaced = null;
                    if (replace) {
                        replaced = replace(hosts, store, placements, placedAt);
                        progress(replaced);
                    }
                    return new Result(n, vlans, s(t0, t1), s(t1, tListed), committed, s(t1, t2), s(t0, t2), s(t1, t3), max, min, build, steady, replaced, loadStart + " / " + load());
                } finally {
                    view.close();
                    observer.close();
                    lister.close();
                }
            } finally {
                for (SimHost h : hosts) {
                    try {
                        h.kill();
                    } catch (Exception e) {
                        // already gone
                    }
                }
                admin.close();
            }
        }
    }

    static List<Map<String, String>> zkStats(ZooKeeperEnsemble zk) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int m = 0; m < zk.size(); m++) {
            out.add(zk.stats(m));
        }
        return out;
    }

    static String zkDelta(List<Map<String, String>> before, List<Map<String, String>> after) {
        List<String> out = new ArrayList<>();
        for (int m = 0; m < after.size(); m++) {
            long received = Long.parseLong(after.get(m).getOrDefault("Received", "0")) - Long.parseLong(before.get(m).getOrDefault("Received", "0"));
            out.add(String.format(Locale.ROOT, "%d: %d %s %s", m + 1, received, after.get(m).getOrDefault("Mode", "?"),
                    after.get(m).getOrDefault("Latency min/avg/max", "?")));
        }
        return String.join("; ", out);
    }

    /** How many of the times fall into each second after {@code t0}: [count in 0-1 s, count in 1-2 s, ...]. */
    static List<Integer> perSecond(long t0, java.util.Collection<Long> times) {
        List<Integer> out = new ArrayList<>();
        for (long t : times) {
            int sec = (int) Math.max(0, (t - t0) / 1_000_000_000L);
            while (out.size() <= sec) {
                out.add(0);
            }
            out.set(sec, out.get(sec) + 1);
        }
        return out;
    }

    static Set<Vlan> vlansOn(Map<Vlan, Placement> placements, HostId h) {
        Set<Vlan> out = new java.util.TreeSet<>();
        placements.forEach((v, p) -> {
            if (p.host().equals(h)) {
                out.add(v);
            }
        });
        return out;
    }

    /** Kills a host that is neither the leader nor sampled; times its head nodes' re-placement after the grace. */
    String replace(List<SimHost> hosts, ClusterStore store, Map<Vlan, Placement> placements, Map<Vlan, Long> placedAt) throws Exception {
        SimHost victim = hosts.stream().skip(SAMPLES).filter(h -> !h.member.isLeader()).findFirst().orElseThrow();
        Set<Vlan> its = vlansOn(placements, victim.id);
        long k0 = System.nanoTime();
        victim.kill();
        hosts.remove(victim);
        await("the host's node gone", Duration.ofSeconds(30), Duration.ofMillis(10), () -> {
            try {
                return !store.hosts().containsKey(victim.id);
            } catch (Exception e) {
                return false;
            }
        });
        long gone = System.nanoTime();
        await("its head nodes placed elsewhere", Duration.ofSeconds(120), Duration.ofMillis(10),
                () -> its.stream().noneMatch(v -> placements.get(v).host().equals(victim.id)));
        long first = its.stream().mapToLong(placedAt::get).min().orElseThrow();
        long last = its.stream().mapToLong(placedAt::get).max().orElseThrow();
        await("moved head nodes in the new hosts' local specs", Duration.ofSeconds(60), Duration.ofMillis(50), () -> its.stream().allMatch(v -> {
            SimHost to = hosts.stream().filter(h -> h.id.equals(placements.get(v).host())).findFirst().orElseThrow();
            return to.changedAt.containsKey(v) && to.changedAt.get(v) > gone;
        }));
        long localLast = its.stream().mapToLong(v -> hosts.stream().filter(h -> h.id.equals(placements.get(v).host())).findFirst().orElseThrow()
                .changedAt.get(v)).max().orElseThrow();
        double grace = 2.0 * SESSION_MS / 1000;
        Map<HostId, Integer> to = new TreeMap<>();
        its.forEach(v -> to.merge(placements.get(v).host(), 1, Integer::sum));
        return String.format(Locale.ROOT, "Re-placement of lost host %s's %d head nodes (its session closed at %.2f s; the leader's grace is %.0f s): "
                        + "first re-placed %.2f s after the grace, last %.2f s after it (%.3f s from first to last), in the new hosts' local specs %.2f s "
                        + "after the grace; spread over %d hosts (at most %d each)",
                victim.id, its.size(), s(k0, gone), grace, s(gone, first) - grace, s(gone, last) - grace, s(first, last), s(gone, localLast) - grace,
                to.size(), to.values().stream().mapToInt(x -> x).max().orElse(0));
    }
}
