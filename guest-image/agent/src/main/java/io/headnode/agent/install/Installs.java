package io.headnode.agent.install;

import io.headnode.agent.install.InstallEffect.Notice;
import io.headnode.agent.install.InstallEffect.PowerCycle;
import io.headnode.agent.install.InstallMachine.Callback;
import io.headnode.agent.install.InstallMachine.Kickstart;
import io.headnode.agent.install.InstallMachine.Report;
import io.headnode.agent.install.InstallMachine.RequestOutcome;
import io.headnode.agent.install.InstallMachine.Transition;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.common.time.WallClockDue;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.power.PowerOutcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs installs: keeps the current {@link InstallBook} in memory and feeds every input through the pure
 * {@link InstallMachine} under a short lock (no I/O inside it). What a transition asks for happens outside the lock:
 * <ul>
 * <li>the new book is saved by {@link InstallStore} and pxelinux.cfg brought in line by {@link PxeSync}, both on the
 * single {@code disk} executor, which always writes the latest book (several changes in a row cost one write);</li>
 * <li>power cycles go to {@link PowerDispatch}, only once the state that asked for them is on disk (a request id is
 * recorded before anything else happens);</li>
 * <li>notices are logged.</li>
 * </ul>
 * The reconcile loop calls {@link #load()} once, then {@link #update}, {@link #request} and {@link #tick()}; the
 * HTTP routes call {@link InstallEndpoints}.
 */
public final class Installs implements InstallEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Installs.class);
    private static final Answer FORBIDDEN = new Answer(403, "forbidden\n");

    private final InstallMachine machine;
    private final InstallStore store;
    private final PxeSync pxe;
    private final PowerDispatch power;
    private final InstallTemplates templates;
    private final Clock clock;
    private final Executor disk;
    private final ImageLookup images;

    private final Object lock = new Object();
    private InstallBook book = InstallBook.EMPTY;
    private long version;
    private InstallSite site;
    /** The version whose save and pxelinux.cfg sync are done. */
    private long synced;
    private final List<Waiter> waiters = new ArrayList<>();

    /** Held by the one flush running (the disk executor's thread, or {@link #close()}); guards {@code durable}. */
    private final Object writeLock = new Object();
    /** The version on disk. */
    private long durable;
    private volatile Health saveHealth = Health.pending("install state not loaded yet");
    /** Why the last pxelinux.cfg sync failed; null when it did not. */
    private volatile String pxeProblem;
    /** How often a periodic tick compares the whole pxelinux.cfg directory with the book (in between: only changes). */
    static final Duration FULL_PXE_CHECK = Duration.ofSeconds(30);
    /** The book and site pxelinux.cfg was last brought in line with (null: not yet), and when wholly; guarded by writeLock. */
    private InstallBook pxeBook;
    private InstallSite pxeSite;
    private Instant lastFullPxeSync = Instant.MIN;
    private volatile boolean fullPxeCheckDue;

    private record Waiter(long version, CompletableFuture<Void> durable) {
    }

    private record Applied<D>(Transition<D> transition, long version) {
    }

    public Installs(InstallMachine machine, InstallStore store, PxeSync pxe, PowerDispatch power, InstallTemplates templates, Clock clock,
                    Executor disk) {
        this(machine, store, pxe, power, templates, clock, disk, ImageLookup.NONE);
    }

    public Installs(InstallMachine machine, InstallStore store, PxeSync pxe, PowerDispatch power, InstallTemplates templates, Clock clock,
                    Executor disk, ImageLookup images) {
        this.images = Objects.requireNonNull(images, "images is null");
        this.machine = Objects.requireNonNull(machine, "machine is null");
        this.store = Objects.requireNonNull(store, "store is null");
        this.pxe = Objects.requireNonNull(pxe, "pxe is null");
        this.power = Objects.requireNonNull(power, "power is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.disk = Objects.requireNonNull(disk, "disk is null");
    }

    /** Reads the saved state (once, at start, before anything else). */
    public void load() throws IOException {
        InstallBook loaded = store.load();
        synchronized (writeLock) {
            synchronized (lock) {
                book = loaded;
                durable = version;
                synced = version;
            }
            saveHealth = Health.ok(store.file().getFileName() + " saved, pxelinux.cfg in line");
        }
    }

    /** Takes in a newly applied share and the fixed addresses of its machines: installs of nodes no longer listed end. */
    public void update(ShareSnapshot snapshot, Map<MacAddress, String> fixedAddresses) {
        InstallSite s = new InstallSite(snapshot, fixedAddresses);
        InstallSite previous;
        synchronized (lock) {
            previous = site;
            site = s;
        }
        boolean keyed = snapshot.installKey().isPresent();
        if (previous == null || previous.snapshot().installKey().isPresent() != keyed) {
            if (keyed) {
                LOG.info("install tokens are derived from the share's install.key: any head node of this VLAN can check them");
            } else {
                LOG.warn("the share has no install.key: install tokens are random, and a head node that takes this VLAN over "
                        + "cannot check them");
            }
        }
        apply(b -> machine.siteChanged(b, s, clock.instant()));
        scheduleFlush();
    }

    /**
     * Runs a request once. The future says whether it ran and is on disk: false if its id ran before, if no share
     * is in force yet (it must wait), or if the state cannot be saved.
     */
    public CompletableFuture<Boolean> request(InstallRequest r) {
        InstallSite s = site();
        if (s == null) {
            LOG.info("install request {} waits for a valid share", r.id());
            return CompletableFuture.completedFuture(false);
        }
        Optional<ImageDeploy> image = r.image().flatMap(name -> images.find(name, r.targetDisk()));
        Applied<RequestOutcome> a = apply(b -> machine.request(b, s, r, image, clock.instant()));
        if (!a.transition().decision().ran()) {
            return CompletableFuture.completedFuture(false);
        }
        return afterDurable(a).handle((v, e) -> e == null);
    }

    /** True once {@code requestId} has run and every state change up to now is on disk (so its spool file may go). */
    public boolean ranDurably(String requestId) {
        synchronized (lock) {
            return book.ran(requestId) && synced >= version;
        }
    }

    public boolean ran(String requestId) {
        synchronized (lock) {
            return book.ran(requestId);
        }
    }

    /** Periodic: deadlines, pending power cycles (also those a restart interrupted), a failed save retried, pxelinux.cfg checked. */
    public void tick() {
        InstallSite s = site();
        if (s == null) {
            return;
        }
        apply(b -> machine.tick(b, s, clock.instant()));
        fullPxeCheckDue = true;
        scheduleFlush();
    }

    /**
     * The power settings changed: installs whose last power cycle failed are cycled again. False (nothing done) while
     * no share is in force yet; the caller asks again.
     */
    public boolean powerSettingsChanged() {
        InstallSite s = site();
        if (s == null) {
            return false;
        }
        apply(b -> machine.powerSettingsChanged(b, s, clock.instant()));
        return true;
    }

    @Override
    public Answer kickstart(MacAddress mac, String source) {
        InstallSite s = site();
        if (s == null) {
            return FORBIDDEN;
        }
        Applied<Kickstart> a = apply(b -> machine.kickstart(b, s, mac, source, clock.instant()));
        if (a.transition().decision() instanceof Kickstart.Serve serve) {
            return new Answer(200, templates.kickstart(s, serve.node(), serve.address()));
        }
        return switch (((Kickstart.Refused) a.transition().decision()).why()) {
            case NO_INSTALL_IN_PROGRESS -> new Answer(404, "no install in progress\n");
            case ATTEMPTS_USED_UP -> new Answer(410, "install attempts used up\n");
            case NOT_THE_NODES_ADDRESS, WRONG_TOKEN -> FORBIDDEN;
        };
    }

    @Override
    public CompletableFuture<Answer> callback(MacAddress mac, String source, String token, String failure) {
        InstallSite s = site();
        if (s == null) {
            return CompletableFuture.completedFuture(FORBIDDEN);
        }
        Applied<Callback> a = apply(b -> machine.callback(b, s, mac, source, token, failure, clock.instant()));
        if (a.transition().decision() instanceof Callback.Refused refused) {
            return CompletableFuture.completedFuture(refused.why() == InstallMachine.Refusal.NO_INSTALL_IN_PROGRESS
                    ? new Answer(409, "no install in progress\n") : FORBIDDEN);
        }
        Callback.Accepted accepted = (Callback.Accepted) a.transition().decision();
        // the answer is decided once: 200 when the save lands first; if the caller completes the future itself first
        // (it stopped waiting and answered something else), the completion is undone, so no installer is told "not
        // recorded" of a completion that is then recorded (its retry would get 409)
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Answer recorded = new Answer(200, "ok\n");
        Answer notRecorded = new Answer(503, "cannot record the callback\n");
        answer.whenComplete((r, e) -> {
            if (r != recorded && r != notRecorded) {   // identity: completed by the caller, not here
                try (var c = MDC.putCloseable("mac", mac.value())) {
                    LOG.warn("install callback for {} answered {} before its state was saved: undone, the install stays active "
                            + "and the installer's retry completes it", mac, r == null ? e.toString() : r.status());
                }
                revert(accepted);
            }
        });
        afterDurable(a).whenComplete((v, e) -> {
            try (var c = MDC.putCloseable("mac", mac.value())) {
                if (e != null) {
                    LOG.error("install callback for {} not recorded: {}; the install stays active", mac, e.toString());
                    revert(accepted);
                    answer.complete(notRecorded);
                } else if (answer.complete(recorded) && failure == null) {
                    LOG.info("{} installed; its next boot goes to the local disk", mac);
                }
            }
        });
        return answer;
    }

    @Override
    public CompletableFuture<Answer> report(MacAddress mac, String source, String token) {
        InstallSite s = site();
        if (s == null) {
            return CompletableFuture.completedFuture(FORBIDDEN);
        }
        Applied<Report> a = apply(b -> machine.report(b, s, mac, source, token, clock.instant()));
        if (a.transition().decision() instanceof Report.Refused refused) {
            return CompletableFuture.completedFuture(refused.why() == InstallMachine.Refusal.NO_INSTALL_IN_PROGRESS
                    ? new Answer(409, "no image install waits for a report\n") : FORBIDDEN);
        }
        return afterDurable(a).handle((v, e) -> e == null ? new Answer(200, "ok\n") : new Answer(503, "cannot record the report\n"));
    }

    /** Each listed machine's state for the status, in machines.txt order. */
    public List<MachineStatus> machines() {
        synchronized (lock) {
            if (site == null) {
                return List.of();
            }
            List<Machine> listed = site.snapshot().machines().machines();
            List<MachineStatus> out = new ArrayList<>(listed.size());
            for (Machine m : listed) {
                NodeInstall n = book.node(m.mac().value());
                out.add(n == null
                        ? new MachineStatus(m.mac(), MachineState.KNOWN, site.address(m.mac()), null, "")
                        : new MachineStatus(m.mac(), MachineState.valueOf(n.state().name()), site.address(m.mac()), n.changedAt(), n.detail()));
            }
            return out;
        }
    }

    /** Whether the state is on disk and pxelinux.cfg in line with it. */
    public Health health() {
        Health save = saveHealth;
        String pxeFailure = pxeProblem;
        return !save.healthy() || pxeFailure == null ? save : Health.failed(pxeFailure);
    }

    /** The current state (a value: later changes do not show in it). */
    public InstallBook book() {
        synchronized (lock) {
            return book;
        }
    }

    /** Writes what is not on disk yet, on the caller's thread (at shutdown). */
    public void close() {
        flush();
    }

    /** Whether the state still asks for {@code p}: its install is the one that asked, active, with a cycle pending. */
    private boolean wantsCycle(PowerCycle p) {
        synchronized (lock) {
            NodeInstall n = book.node(p.machine().mac().value());
            return n != null && n.active() && n.powerPending() && p.requestId().equals(n.requestId());
        }
    }

    private InstallSite site() {
        synchronized (lock) {
            return site;
        }
    }

    /**
     * Feeds one input through the machine under the lock; a changed book is handed to the disk executor, notices are
     * logged, power cycles wait until the state is on disk.
     */
    private <D> Applied<D> apply(Function<InstallBook, Transition<D>> input) {
        Applied<D> a;
        boolean changed;
        synchronized (lock) {
            Transition<D> t = input.apply(book);
            changed = t.changed(book);
            if (changed) {
                book = t.book();
                version++;
            }
            a = new Applied<>(t, version);
        }
        if (changed) {
            scheduleFlush();
        }
        List<PowerCycle> cycles = new ArrayList<>();
        for (InstallEffect e : a.transition().effects()) {
            if (e instanceof Notice n) {
                log(n);
            } else if (e instanceof PowerCycle p) {
                cycles.add(p);
            }
        }
        if (!cycles.isEmpty()) {
            afterDurable(a).thenRun(() -> cycles.forEach(p -> power.cycle(p.machine(), p.requestId(), () -> wantsCycle(p), this::powerDone)));
        }
        return a;
    }

    private void powerDone(MacAddress mac, String requestId, PowerOutcome outcome) {
        apply(b -> machine.powerDone(b, mac, requestId, outcome, clock.instant()));   // apply flushes a changed book
    }

    /**
     * Completes once the state of {@code a} (or a later one) is on disk and pxelinux.cfg synced with it (at once if
     * it already is); exceptionally if it cannot be saved.
     */
    private CompletableFuture<Void> afterDurable(Applied<?> a) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (lock) {
            if (synced >= a.version()) {
                f.complete(null);
                return f;
            }
            waiters.add(new Waiter(a.version(), f));
        }
        scheduleFlush();
        return f;
    }

    /** The callback could not be saved: the install is active again, unless something else changed the node meanwhile. */
    private void revert(Callback.Accepted accepted) {
        synchronized (lock) {
            if (accepted.installed().equals(book.node(accepted.installed().mac()))) {
                book = book.with(accepted.previous());
                version++;
            }
        }
        scheduleFlush();
    }

    private void scheduleFlush() {
        try {
            disk.execute(this::flush);
        } catch (RejectedExecutionException e) {
            LOG.warn("install state not written: the agent is stopping");
        }
    }

    /** Saves the latest book if it is newer than the file, brings pxelinux.cfg in line, then releases the waiters. */
    private void flush() {
        List<Waiter> done = new ArrayList<>();
        List<Waiter> failed = new ArrayList<>();
        IOException failure = null;
        synchronized (writeLock) {
            InstallBook b;
            long v;
            InstallSite s;
            synchronized (lock) {
                b = book;
                v = version;
                s = site;
            }
            if (v > durable) {
                try {
                    store.save(b);
                    durable = v;
                    if (!saveHealth.healthy()) {
                        LOG.info("install state saved again in {}", store.file());
                    }
                    saveHealth = Health.ok(store.file().getFileName() + " saved, pxelinux.cfg in line");
                } catch (IOException e) {
                    failure = e;
                    if (saveHealth.healthy()) {
                        LOG.error("cannot save the install state: {}", e.toString());
                    }
                    saveHealth = Health.failed("cannot save " + store.file() + ": " + e.getMessage());
                }
            }
            if (failure == null && s != null) {
                syncPxe(b, s);
            }
            synchronized (lock) {
                if (failure == null) {
                    synced = Math.max(synced, v);
                }
                for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                    Waiter w = it.next();
                    if (w.version() <= synced) {
                        done.add(w);
                        it.remove();
                    } else if (failure != null && w.version() <= v) {
                        failed.add(w);
                        it.remove();
                    }
                }
            }
        }
        done.forEach(w -> w.durable().complete(null));
        for (Waiter w : failed) {
            w.durable().completeExceptionally(failure);
        }
    }

    /**
     * Brings pxelinux.cfg in line with {@code b}: only the nodes changed since the last sync, or the whole directory
     * at first, after a failure, for a new site, and on a tick once {@link #FULL_PXE_CHECK} has passed.
     */
    private void syncPxe(InstallBook b, InstallSite s) {
        try {
            Instant now = clock.instant();
            boolean full = pxeBook == null || pxeSite != s || pxeProblem != null
                    || (fullPxeCheckDue && WallClockDue.intervalPassed(lastFullPxeSync, now, FULL_PXE_CHECK));
            PxeSync.Result r = full ? pxe.sync(b, s) : pxe.syncChanged(pxeBook, b, s);
            if (full) {
                lastFullPxeSync = now;
                fullPxeCheckDue = false;
            }
            pxeBook = b;
            pxeSite = s;
            if (r.removed() > 0) {
                LOG.info("removed {} per-MAC install config(s)", r.removed());
            }
            if (pxeProblem != null) {
                LOG.info("pxelinux.cfg in line with the install state again");
            }
            pxeProblem = null;
        } catch (IOException | RuntimeException e) {
            if (pxeProblem == null) {
                LOG.error("cannot bring pxelinux.cfg in line with the install state: {}", e.toString());
            }
            pxeProblem = "cannot bring pxelinux.cfg in line: " + e;
        }
    }

    private static void log(Notice n) {
        try (var c = n.mac() == null ? null : MDC.putCloseable("mac", n.mac())) {
            switch (n.level()) {
                case INFO -> LOG.info("{}", n.message());
                case WARN -> LOG.warn("{}", n.message());
                case ERROR -> LOG.error("{}", n.message());
            }
        }
    }
}
