package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One host's part in the fleet (issue 11): registers the host (an ephemeral node, kept by Curator's
 * {@link PersistentNode}), runs for leader ({@link LeaderElection}; the leader writes placements with a
 * {@link FleetPlanner}), and keeps this host's local desired state equal to what ZooKeeper places on it
 * ({@link LocalHeadnodes}): on every change its caches report, and in a periodic pass. It caches the small subtrees
 * ({@link FleetCaches}: its own assignment node and the images; the hosts, drain marks, placements and assignments only once it has led) and the specs and shares of its own VLANs only
 * ({@link VlanCaches}); while it leads, also the list of spec names ({@link SpecNames}).
 *
 * <p>Fencing: while the connection is {@code SUSPENDED} nothing is changed; a session timeout later (the server
 * may have expired the session by then) it asks the members ({@link QuorumProbe}): none answers, it is cut off and
 * destroys its head nodes; some answer and none serves, the ensemble lost its quorum and nobody can re-place them:
 * it keeps them, places nothing and says so; one serves, it waits for the reconnect up to one and a half session
 * timeouts in all, then fences. A server's {@code LOST} (session expired) fences at once unless the quorum is lost.
 * The leader waits twice the session timeout before it re-places a vanished host's VLANs.
 *
 * <p>Threads ({@link ClusterThreads}): passes and fencing run on the member's thread ({@code headnode-cluster}), so
 * they never overlap. The leader decides on its own thread ({@code headnode-leader}), so placing never waits behind
 * this host's own ZooKeeper round trips (confirmations, opening its VLANs' caches): on every change of what it reads
 * (hosts, drain marks, assignments, spec names; coalesced, {@link CoalescingTrigger}) and on a 500 ms tick, which
 * decides only when something changed, a lost host's grace ends ({@link DecisionGate}) or the placements are read
 * again ({@link LeaderPlacements}: the leader keeps them from its own writes, with no watch, and reads them every
 * 5 s). A decision acts only while this member is connected and leads, and checks both again before each
 * transaction it writes; losing either (or a reconnect, or a failed write) drops the leader's view (its placements,
 * the spec names), so a new decision starts from ZooKeeper.
 */
public final class ClusterMember implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);

    /** What the member is doing, for logs and {@code hosts list}. */
    public enum State { STARTING, CONNECTED, SUSPENDED, QUORUM_LOST_KEEPING, FENCED, CLOSED }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    /** How long an event pass waits for more events before it runs (well inside the 1 s change-propagation target). */
    static final Duration PASS_SETTLE = Duration.ofMillis(100);
    private final ClusterStore store;
    private final HostId me;
    private final LocalHeadnodes local;
    private final Supplier<HostCapacity> capacity;
    private final List<String> bridges;
    private final Consumer<Vlan> changed;
    private final int sessionTimeoutMs;
    private final String connect;
    private final Duration period;
    private final Clock clock;
    private final FleetPlanner planner;
    private final ClusterThreads threads;
    private final ScheduledExecutorService worker;
    private final CoalescingTrigger passes;
    private final CoalescingTrigger decisions;
    private final DecisionGate gate;
    private final FleetCaches caches;
    private final VlanCaches vlanCaches;
    private final SpecNames specNames;
    private final LeaderElection election;
    private PersistentNode registration;
    private volatile State state = State.STARTING;
    private ScheduledFuture<?> fenceTimer;
    private Instant suspendedAt;
    private byte[] registered = new byte[0];
    private final PlacementConfirmations confirmations;
    /** What the passes last wrote locally per VLAN (member thread only); the periodic pass forgets it. */
    private final AppliedVlans applied = new AppliedVlans();
    private volatile Map<Vlan, Long> reported = Map.of();
    private volatile Duration lastPass = Duration.ZERO;
    /** The leader's view of every placement: read when it starts leading and every 5 s, plus its own writes. Leader thread only. */
    private final LeaderPlacements placements = new LeaderPlacements();
    /** The leader's own assignment writes its cache has not shown yet. Leader thread only. */
    private final Map<HostId, HostAssignment> unseenAssignments = new java.util.HashMap<>();
    private final CoalescingTrigger imageRounds;
    private FleetImageMirror mirror;
    private volatile Map<io.headnode.contract.ImageName, String> imagesMissing = Map.of();

    public ClusterMember(ClusterStore store, HostId me, String connect, int sessionTimeoutMs, LocalHeadnodes local,
                         Supplier<HostCapacity> capacity, List<String> bridges, Consumer<Vlan> changed, Placer placer,
                         Duration period, Clock clock) {
        this.store = Objects.requireNonNull(store, "store is null");
        this.me = Objects.requireNonNull(me, "me is null");
        this.connect = Objects.requireNonNull(connect, "connect is null");
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.local = Objects.requireNonNull(local, "local is null");
        this.capacity = Objects.requireNonNull(capacity, "capacity is null");
        this.bridges = List.copyOf(bridges);
        this.changed = Objects.requireNonNull(changed, "changed is null");
        this.period = Objects.requireNonNull(period, "period is null");
        this.planner = new FleetPlanner(placer, Duration.ofMillis(2L * sessionTimeoutMs));
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.gate = new DecisionGate(period);
        this.threads = new ClusterThreads(me);
        this.worker = threads.member();
        // an event pass starts PASS_SETTLE after the first ask: a burst of cache events (a VLAN's caches loading,
        // a batch of placements) gives one pass, not one per event that lands while the previous pass runs
        this.passes = new CoalescingTrigger(r -> worker.schedule(r, PASS_SETTLE.toMillis(), TimeUnit.MILLISECONDS), this::pass);
        this.decisions = new CoalescingTrigger(threads.leader(), this::decide);
        this.imageRounds = new CoalescingTrigger(threads.images(), this::mirrorImagesOnce);
        CuratorFramework zk = store.client();
        this.caches = new FleetCaches(zk, me);
        this.vlanCaches = new VlanCaches(zk, this::trigger);
        this.specNames = new SpecNames(zk, this::leaderInputChanged);
        // both listeners on the leader's thread; a lost leadership stops the decisions to come, and one in progress
        // stops at its next transaction
        this.election = new LeaderElection(zk, me.name(), threads.leader(), this::becameLeader, this::forgetLeaderView);
        this.confirmations = new PlacementConfirmations(me);
    }

    /** Reads the agent status of this host's running head nodes (blocking up to a couple of seconds). */
    public interface StatusSource {
        Map<Vlan, java.util.Optional<io.headnode.contract.AgentStatus>> read(Set<Vlan> vlans) throws Exception;
    }

    /**
     * Before {@link #start}: every {@code every}, read the agent status of the head nodes running here for a confirmed
     * epoch and write their completed installs to ZooKeeper ({@link InstallCompletions}); on its own thread, so a
     * slow status read never delays fencing.
     */
    public void recordInstalls(StatusSource source, Duration every) {
        Objects.requireNonNull(source, "source is null");
        threads.installs().scheduleWithFixedDelay(() -> recordInstallsOnce(source), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round of {@link #recordInstalls}; public for tests. */
    public void recordInstallsOnce(StatusSource source) {
        Map<Vlan, Long> ours = new java.util.TreeMap<>(reported);
        if (state != State.CONNECTED || ours.isEmpty()) {
            return;
        }
        try {
            Map<Vlan, java.util.Optional<io.headnode.contract.AgentStatus>> statuses = source.read(ours.keySet());
            for (Map.Entry<Vlan, java.util.Optional<io.headnode.contract.AgentStatus>> e : statuses.entrySet()) {
                Vlan v = e.getKey();
                if (e.getValue().isEmpty() || !ours.containsKey(v) || state != State.CONNECTED) {
                    continue;
                }
                MDC.put("vlan", Integer.toString(v.id()));
                try {
                    var placement = store.placement(v);
                    if (placement.isEmpty() || !placement.get().equals(new Placement(me, ours.get(v)))) {
                        continue; // moved meanwhile: the new host records from now on
                    }
                    InstallCompletions c = InstallCompletions.of(e.getValue().get(), store.shareFiles(v), store.requestsWritten(v), store.installs(v));
                    if (!c.isEmpty()) {
                        store.apply(v, c, me);
                        log.info("VLAN {}: installs completed {} recorded in the fleet; requests rewritten {}, removed {}",
                                v, c.record().keySet(), c.rewrite().keySet(), c.remove());
                    }
                } finally {
                    MDC.remove("vlan");
                }
            }
        } catch (Exception e) {
            log.warn("recording completed installs failed (retried): {}", e.toString());
        }
    }

    /**
     * Before {@link #start}: keep this host's image catalog equal to the fleet's ({@link FleetImageMirror}) on every
     * change under {@code /images} and every {@code every}; on its own thread, since copying an image can take
     * minutes. What is missing here goes into the host's record ({@code images-missing}).
     */
    public void mirrorImages(FleetImageMirror m, Duration every) {
        this.mirror = Objects.requireNonNull(m, "mirror is null");
        threads.images().scheduleWithFixedDelay(this::triggerImages, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void triggerImages() {
        if (mirror != null) {
            imageRounds.fire();
        }
    }

    /** One round of {@link #mirrorImages}; only while connected with a complete cache (never from a partial view). */
    private void mirrorImagesOnce() {
        if (state != State.CONNECTED || !loaded()) {
            return;
        }
        try {
            FleetImages fleet = caches.images();
            fleet.errors().forEach(e -> log.warn("fleet image catalog: {}", e.getMessage()));
            java.util.Set<io.headnode.contract.ImageName> copying = mirror.toCopy(fleet);
            if (!copying.isEmpty()) {
                Map<io.headnode.contract.ImageName, String> now = new java.util.TreeMap<>(imagesMissing);
                copying.forEach(n -> now.put(n, FleetImageMirror.COPYING));
                imagesMissing = Map.copyOf(now);
                trigger();
            }
            Map<io.headnode.contract.ImageName, String> missing = mirror.sync(fleet);
            if (!missing.equals(imagesMissing)) {
                imagesMissing = Map.copyOf(missing);
                trigger(); // registers the new list
            }
        } catch (Exception e) {
            log.warn("mirroring the fleet's images failed (retried): {}", e.toString());
        }
    }

    /**
     * Registers, joins the election, starts watching; returns once the mirror of the fleet is loaded and the first
     * pass has made the local desired state what the fleet places here (later work happens on the member's thread).
     */
    public void start() throws Exception {
        store.ensureLayout();
        store.ensureAssigned(List.of(me)); // the node this host watches for what is placed on it (empty: nothing)
        CuratorFramework zk = store.client();
        zk.getConnectionStateListenable().addListener((client, s) -> worker.execute(() -> onConnection(s)));
        caches.start(new FleetCaches.Events() {
            @Override
            public void changed() {
                trigger(); // this host's assignment: the leader hears of it from its own cache of every assignment
            }

            @Override
            public void leaderChanged() {
                leaderInputChanged();
            }

            @Override
            public void imagesChanged() {
                triggerImages();
            }

            @Override
            public void loaded() {
                log.info("this host's assignment and the image catalog loaded: reconciling from them");
                trigger();
                leaderInputChanged();
                triggerImages();
            }
        });
        registered = record();
        registration = new PersistentNode(zk, CreateMode.EPHEMERAL, false, ClusterStore.hostPath(me), registered);
        registration.start();
        election.start();
        state = State.CONNECTED;
        // the periodic pass applies every VLAN again (repairs local files changed behind the member's back); passes
        // asked for by events re-apply only the VLANs whose spec or share changed
        worker.scheduleWithFixedDelay(() -> {
            applied.clear();
            trigger();
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        // a head node placed here may be up now: registered within half a second
        worker.scheduleWithFixedDelay(this::registerRunning, 500, 500, TimeUnit.MILLISECONDS);
        // the leader also looks on a short tick: a lost host's grace ends without any ZooKeeper event
        threads.leader().scheduleWithFixedDelay(decisions::fire, 500, 500, TimeUnit.MILLISECONDS);
        log.info("host {} joined the fleet at {}", me, connect);
        // the first pass waits for the loaded caches: an empty cache would remove (and later rebuild) every head node
        // here, and the service's first pass would start head nodes from local specs the fleet may have moved away
        long wait = 2L * sessionTimeoutMs;
        if (!caches.awaitLoaded(wait)) {
            throw new IllegalStateException("ZooKeeper's data did not load within " + wait + " ms: not starting");
        }
        worker.submit(this::pass).get(wait, TimeUnit.MILLISECONDS); // removes what moved away, opens this host's VLANs' caches
        if (!vlanCaches.awaitPrimed(wait)) {
            log.warn("the specs and shares of this host's VLANs did not all load within {} ms: they are written once loaded", wait);
        }
        worker.submit(this::pass).get(wait, TimeUnit.MILLISECONDS);
    }

    /** Whether the small subtrees are loaded whole. */
    private boolean loaded() {
        return caches.loaded();
    }

    /** Every node path this member caches now, relative to the chroot (for tests). */
    Set<String> cachedPaths() {
        Set<String> out = new java.util.TreeSet<>(caches.paths());
        out.addAll(vlanCaches.paths());
        return out;
    }

    public State state() {
        return state;
    }

    public boolean isLeader() {
        return election.leading();
    }

    public HostId host() {
        return me;
    }

    /** How long this host's last pass (fleet cache -> local specs and shares, registration) took. */
    public Duration lastPassDuration() {
        return lastPass;
    }

    /** The fleet's images this host does not hold (with why), as last registered. */
    public Map<io.headnode.contract.ImageName, String> imagesMissing() {
        return imagesMissing;
    }

    /** Asks for a pass soon; several asks before it runs give one pass. */
    private void trigger() {
        passes.fire();
    }

    /** Something the leader reads changed: it decides soon (several changes before it runs give one decision). */
    private void leaderInputChanged() {
        gate.changed();
        if (election.leading()) {
            decisions.fire();
        }
    }

    /** Makes the local desired state what ZooKeeper places here; nothing while not connected. */
    private void pass() {
        if (state != State.CONNECTED || !loaded()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            Map<Vlan, Placement> placedHere = caches.placementsOnMe();
            vlanCaches.retain(placedHere.keySet()); // caches the specs and shares of these VLANs, drops the others'
            // only placements whose epoch this host confirmed with ZooKeeper itself (a stale cache starts nothing)
            Map<Vlan, Long> mine = confirmations.confirm(placedHere, new PlacementConfirmations.Source() {
                @Override
                public void sync() throws Exception {
                    store.sync();
                }

                @Override
                public Map<Vlan, java.util.Optional<Placement>> read(Set<Vlan> vlans) throws Exception {
                    return store.placements(vlans);
                }
            });
            Set<Vlan> here = local.vlans();
            applied.retain(mine.keySet());
            for (Vlan v : mine.keySet()) {
                long version = vlanCaches.version(v); // before the view: a change after this shows as a newer version
                if (here.contains(v) && applied.unchanged(v, version)) {
                    continue; // written by an earlier pass, nothing of it changed since
                }
                var fleet = vlanCaches.view(v);
                if (fleet.isEmpty()) {
                    continue; // its spec and share are still loading: written once they are (never from a partial view)
                }
                var spec = fleet.get().spec(v);
                if (spec.isEmpty()) {
                    continue;
                }
                MDC.put("vlan", Integer.toString(v.id()));
                try {
                    Map<String, byte[]> files = fleet.get().shareFiles(v);
                    if (!files.containsKey(io.headnode.contract.InstallKey.FILE_NAME)) {
                        // a VLAN declared before install keys existed: one key for the fleet, made once in ZooKeeper
                        files = new java.util.TreeMap<>(files);
                        files.put(io.headnode.contract.InstallKey.FILE_NAME, store.ensureInstallKey(v, RANDOM));
                    }
                    if (local.apply(v, spec.get(), files)) {
                        log.info("VLAN {}: desired state from the fleet written here (epoch {})", v, mine.get(v));
                        changed.accept(v);
                    }
                    applied.record(v, version);
                } finally {
                    MDC.remove("vlan");
                }
            }
            for (Vlan v : here) {
                if (!mine.containsKey(v)) {
                    log.info("VLAN {}: not placed on {} (or not for an epoch it confirmed): removing it here", v, me);
                    local.remove(v);
                    changed.accept(v);
                }
            }
            refreshRegistration(mine.size());
            lastPass = Duration.ofNanos(System.nanoTime() - t0);
        } catch (Exception e) {
            log.warn("cluster pass failed (the next change or the periodic pass retries): {}", e.toString());
        }
    }

    private void refreshRegistration(int placed) throws Exception {
        Map<Vlan, Long> confirmed = confirmations.confirmed();
        Map<Vlan, Long> runningHere = new java.util.TreeMap<>();
        for (Vlan v : local.running()) {
            if (confirmed.containsKey(v)) {
                runningHere.put(v, confirmed.get(v));
            }
        }
        reported = runningHere;
        byte[] now = new HostRecord(capacity.get(), bridges, placed, runningHere, imagesMissing).encode();
        if (!Arrays.equals(now, registered)) {
            registration.setData(now);
            registered = now;
        }
    }

    private byte[] record() throws Exception {
        return new HostRecord(capacity.get(), bridges, local.vlans().size()).encode();
    }

    /** Member thread: registers the head nodes placed here that came up since the last registration. */
    private void registerRunning() {
        if (state == State.CONNECTED && !reported.keySet().containsAll(confirmations.confirmed().keySet())) {
            try {
                refreshRegistration(confirmations.confirmed().size());
            } catch (Exception e) {
                log.debug("registration refresh failed (retried): {}", e.toString());
            }
        }
    }

    /** Whether this member may place: connected, with loaded caches, and leading. */
    private boolean leading() {
        return state == State.CONNECTED && loaded() && election.leading();
    }

    /** Leader thread: forgets what the leader read and wrote (not leading, or reconnected). */
    private void forgetLeaderView() {
        placements.forget();
        unseenAssignments.clear();
        specNames.forget();
        gate.forget();
    }

    /** The leader's part (leader thread): write the placements the planner asks for, when something it reads changed. */
    private void decide() {
        if (!leading()) {
            forgetLeaderView();
            return;
        }
        Instant now = clock.instant();
        if (placements.due(now)) {
            gate.changed(); // the placements are read again (first decision, every 5 s, after a failed write): decide from them
        }
        long version = gate.version(); // before reading anything: a change from now on makes the next decision due
        if (!gate.due(version, now)) {
            return;
        }
        try {
            var names = specNames.current();
            if (names.isEmpty()) {
                return; // the leader's first listing of the specs is on its way (it reports a change)
            }
            if (!caches.leaderLoaded()) {
                caches.startLeader(); // its loaded event asks for the next decision
                return;
            }
            if (placements.due(now)) {
                placements.load(store, now);
            }
            FleetView fleet = caches.leaderView(names.get(), placements.all());
            List<FleetPlanner.Write> writes = planner.decide(fleet, now);
            var fence = election.fence(this::leading);
            if (fence.isEmpty()) {
                forgetLeaderView();
                return;
            }
            if (writes.isEmpty()) {
                repairAssignments(fleet.placements(), fence.get());
                gate.decided(version, now, planner.nextGraceEnd());
                return;
            }
            // a batch that fails throws: the catches below forget the placements, and the next decision reads them
            unseenAssignments.putAll(store.writePlacements(writes, fleet.placements(), fence.get()));
            placements.wrote(writes);
            for (FleetPlanner.Write w : writes) {
                if (w.placement() == null) {
                    log.info("VLAN {}: placement removed ({})", w.vlan(), w.reason());
                } else {
                    log.info("VLAN {}: placed on {} epoch {} ({})", w.vlan(), w.placement().host(), w.placement().epoch(), w.reason());
                }
            }
            gate.decided(version, now, planner.nextGraceEnd());
        } catch (ClusterStore.LeadershipLostException e) {
            forgetLeaderView();
            log.warn("placing stopped: {}", e.getMessage());
            if (e.electionNodeGone()) {
                rejoinElection();
            }
        } catch (Exception e) {
            placements.forget(); // what was written is read back from ZooKeeper by the next decision
            unseenAssignments.clear();
            log.warn("placing failed (retried on the next tick): {}", e.toString());
        }
    }

    /** Leader thread: it leads now; its caches of the hosts, drain marks and assignments start (once), then it decides. */
    private void becameLeader() {
        caches.startLeader();
        leaderInputChanged();
    }

    /**
     * Leader thread, when a decision writes no placement: sets every host's assignment node that differs from the
     * placements (a fleet from before assignment nodes, a placement written by hand, a stale view's leftovers).
     */
    private void repairAssignments(Map<Vlan, Placement> placements, LeaderFence fence) throws Exception {
        Map<HostId, HostAssignment> seen = caches.assignments();
        unseenAssignments.entrySet().removeIf(e -> e.getValue().equals(seen.get(e.getKey())));
        seen.putAll(unseenAssignments);
        Map<HostId, java.util.SortedMap<Vlan, Long>> byHost = new java.util.TreeMap<>(); // one walk over the placements
        seen.keySet().forEach(h -> byHost.put(h, new java.util.TreeMap<>()));
        placements.forEach((v, p) -> byHost.computeIfAbsent(p.host(), h -> new java.util.TreeMap<>()).put(v, p.epoch()));
        Map<HostId, HostAssignment> fixes = new java.util.TreeMap<>();
        for (Map.Entry<HostId, java.util.SortedMap<Vlan, Long>> e : byHost.entrySet()) {
            HostId h = e.getKey();
            HostAssignment want = new HostAssignment(e.getValue());
            if (!want.equals(seen.get(h))) {
                fixes.put(h, want);
            }
        }
        if (!fixes.isEmpty()) {
            store.writeAssignments(fixes, fence);
            unseenAssignments.putAll(fixes);
            log.info("host assignments repaired: {}", fixes.keySet());
        }
    }

    /** Leader thread: back in the election's line after ZooKeeper refused a write because this host's node is gone. */
    private void rejoinElection() {
        try {
            election.rejoin();
        } catch (Exception e) {
            log.error("leader election: cannot join again: {}", e.toString());
        }
    }

    private void onConnection(ConnectionState s) {
        log.info("ZooKeeper connection {}", s);
        switch (s) {
            case SUSPENDED -> {
                if (state == State.CONNECTED) {
                    state = State.SUSPENDED;
                    suspendedAt = clock.instant();
                    log.warn("ZooKeeper connection suspended: changing nothing; deciding about fencing in {} ms unless it returns", sessionTimeoutMs);
                    schedule(sessionTimeoutMs);
                }
            }
            case LOST -> {
                if (state == State.CLOSED || state == State.FENCED) {
                    return;
                }
                if (state == State.CONNECTED) {
                    // expired without a suspension first: a server said so on reconnecting, and the leader may be
                    // counting this host's grace already
                    if (QuorumProbe.probe(connect, 1_000) == QuorumProbe.Verdict.QUORUM_LOST_EVERYWHERE) {
                        keepWithoutQuorum("session lost");
                    } else {
                        fence("the session expired");
                    }
                    return;
                }
                // Curator gives up a session suspended for a session timeout (and opens a new one): same decision
                stillSuspended();
            }
            case CONNECTED, RECONNECTED -> {
                if (fenceTimer != null) {
                    fenceTimer.cancel(false);
                }
                if (state != State.CLOSED) {
                    // a watch set on an expired session is gone: the leader reads the names again
                    threads.leader().execute(this::forgetLeaderView);
                    confirmations.forgetAll(); // the cache may be behind the leader: confirm every epoch again
                    applied.clear();
                    if (state == State.QUORUM_LOST_KEEPING) {
                        log.info("ZooKeeper quorum is back: placing and reconciling again");
                    }
                    state = State.CONNECTED;
                    suspendedAt = null;
                    trigger();
                    leaderInputChanged();
                }
            }
            default -> { }
        }
    }

    private void schedule(long ms) {
        fenceTimer = worker.schedule(this::stillSuspended, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Suspended for a session timeout (or re-checking): the server may have expired the session, and after its grace
     * the leader may give these head nodes to another host. Nobody answers: cut off, fence. Members answer, none
     * serves: no quorum anywhere, nobody can re-place: keep. A member serves: a reconnect is due; fence if it has not
     * come after one and a half session timeouts in all (the leader waits at least three from the last contact).
     */
    private void stillSuspended() {
        if (state != State.SUSPENDED && state != State.QUORUM_LOST_KEEPING) {
            return;
        }
        switch (QuorumProbe.probe(connect, 1_000)) {
            case CUT_OFF -> fence("no ZooKeeper member answers for a session timeout");
            case QUORUM_LOST_EVERYWHERE -> keepWithoutQuorum("suspended");
            case SERVING -> {
                if (state == State.QUORUM_LOST_KEEPING) {
                    state = State.SUSPENDED; // the quorum is back: from now on a reconnect is due
                    suspendedAt = clock.instant().minusMillis(sessionTimeoutMs / 2); // a session timeout to reconnect
                }
                if (!clock.instant().isBefore(suspendedAt.plusMillis(sessionTimeoutMs * 3L / 2))) {
                    fence("a quorum serves but this host has no session on it");
                } else {
                    schedule(sessionTimeoutMs / 4);
                }
            }
        }
    }

    private void keepWithoutQuorum(String why) {
        if (state != State.QUORUM_LOST_KEEPING) {
            log.warn("ZooKeeper has no quorum ({}): keeping the head nodes this host runs, placing nothing new", why);
        }
        state = State.QUORUM_LOST_KEEPING;
        schedule(sessionTimeoutMs / 3); // look again: a quorum may form without us
    }

    /** Destroys every head node here before another host may be given them. */
    private void fence(String why) {
        log.error("ZooKeeper: {}: destroying this host's head nodes (fencing)", why);
        state = State.FENCED;
        local.fence().forEach(changed); // a pass each: the delete steps finish what destroy began
    }

    @Override
    public void close() {
        state = State.CLOSED;
        threads.close();
        election.close();
        try {
            if (registration != null) {
                registration.close();
            }
        } catch (Exception e) {
            log.debug("registration close: {}", e.toString());
        }
        vlanCaches.close();
        caches.close();
    }
}
