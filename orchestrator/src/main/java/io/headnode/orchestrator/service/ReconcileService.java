package io.headnode.orchestrator.service;

import io.headnode.common.libvirt.DomainEvent;
import io.headnode.common.libvirt.DomainEvents;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.HypervisorException;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.metrics.ReconcileMetrics;
import io.headnode.orchestrator.reconcile.ReconcileObservers;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.SpecStore;
import io.headnode.orchestrator.util.Errors;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code headnode reconcile --every D}: one worker thread converges head nodes, driven by a {@link RepairSchedule}.
 * libvirt's domain lifecycle events ({@link DomainEvents}, subscribed again after a libvirtd restart) name a head
 * node's domain; its VLAN is reconciled at once, ahead of the periodic pass, which stays as the safety net. Bursts
 * coalesce, and one worker means one VLAN is never reconciled twice at once (the {@code VlanLock} keeps other
 * processes out). After each (re)subscription a full pass catches up on events that were missed. It tells systemd
 * READY=1 after the first pass, STATUS= after each pass and STOPPING=1 at the end; {@link Watchdog} pings.
 */
@Singleton
public final class ReconcileService implements DomainEvents.Listener {
    private static final Logger log = LoggerFactory.getLogger(ReconcileService.class);
    /** Events that move a domain towards what the pipeline wants anyway: no pass for them. */
    private static final Set<DomainEvent.Type> IGNORED = Set.of(DomainEvent.Type.STARTED, DomainEvent.Type.RESUMED);
    private final Reconciler reconciler;
    private final SpecStore specs;
    private final Hypervisor hypervisor;
    private final DomainEvents events;
    private final ReconcileMetrics metrics;
    private final ServiceNotifier notifier;
    private final Clock clock;
    private final Object lock = new Object();
    private RepairSchedule schedule;
    private boolean stopping;
    private volatile long busySince;
    private volatile boolean subscribed;

    @Inject
    public ReconcileService(Reconciler reconciler, SpecStore specs, Hypervisor hypervisor, DomainEvents events,
                            ReconcileMetrics metrics, ReconcileObservers observers, ServiceNotifier notifier, Clock clock) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler is null");
        this.specs = Objects.requireNonNull(specs, "specs is null");
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
        this.events = Objects.requireNonNull(events, "events is null");
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
        this.notifier = Objects.requireNonNull(notifier, "notifier is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        observers.add(metrics);   // step durations
    }

    /**
     * Runs until {@link #stop()}: passes every {@code every}, and with {@code onEvents} at once for libvirt events.
     * Prints changed or failed VLANs.
     */
    public void run(Duration every, boolean onEvents, PrintWriter out) {
        synchronized (lock) {
            schedule = new RepairSchedule(every, clock.instant());
        }
        boolean ready = false;
        try (DomainEvents.Subscription sub = onEvents ? events.subscribe(this) : null;
             Watchdog watchdog = Watchdog.start(notifier, this::healthy)) {
            log.info("reconciling every {} s{}", every.toSeconds(), onEvents ? " and on libvirt events" : "");
            while (true) {
                RepairSchedule.Next next = next();
                if (next == null) {
                    return;
                }
                if (next instanceof RepairSchedule.RunVlan v) {
                    reconcileOne(v.vlan(), v.trigger(), out);
                } else {
                    fullPass(out);
                    if (!ready) {
                        ready = true;
                        notifier.notify("READY=1\nSTATUS=" + status());
                    } else {
                        notifier.notify("STATUS=" + status());
                    }
                }
            }
        } finally {
            notifier.notify("STOPPING=1");
        }
    }

    /** Ends {@link #run} after the VLAN being reconciled (SIGTERM). */
    public void stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
    }

    /** Waits for the next thing to do; null once stopping. */
    private RepairSchedule.Next next() {
        synchronized (lock) {
            while (!stopping) {
                Instant now = clock.instant();
                RepairSchedule.Next n = schedule.next(now);
                if (!(n instanceof RepairSchedule.Wait w)) {
                    return n;
                }
                long ms = Math.max(1, Duration.between(now, w.until()).toMillis());
                try {
                    lock.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }
    }

    /** Every declared VLAN once, taking event VLANs first in between. */
    private void fullPass(PrintWriter out) {
        Instant start = clock.instant();
        Set<Vlan> declared = new LinkedHashSet<>();
        try {
            declared.addAll(specs.vlans());
        } catch (Exception e) {
            out.println("reconcile pass failed: cannot list the specs: " + Errors.oneLine(e));
            out.flush();
        }
        for (Vlan v : declared) {
            Optional<Vlan> urgent;
            while ((urgent = takeUrgent()).isPresent()) {
                reconcileOne(urgent.get(), Trigger.EVENT, out);
            }
            if (isStopping()) {
                return;
            }
            reconcileOne(v, Trigger.PERIODIC, out);
        }
        Instant end = clock.instant();
        synchronized (lock) {
            schedule.fullPassDone(end);
        }
        metrics.pass(declared, end, Duration.between(start, end));
    }

    private Optional<Vlan> takeUrgent() {
        synchronized (lock) {
            return stopping ? Optional.empty() : schedule.takeUrgent();
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private void reconcileOne(Vlan vlan, Trigger trigger, PrintWriter out) {
        if (!Files.exists(specs.file(vlan))) {
            metrics.headNode(vlan, null);   // an event for a domain named like ours whose VLAN has no spec: not ours
            return;
        }
        busySince = System.nanoTime();
        VlanReport report = null;
        try {
            report = reconciler.reconcile(vlan, false);
            if (report.changed() || report.failed()) {
                out.print(report.describe());
            }
        } catch (Exception e) {
            // one bad pass (libvirtd restarting, a lock held too long, ...) must not end the service; it is retried
            out.println("reconcile of vlan " + vlan + " failed: " + Errors.oneLine(e));
        } finally {
            out.flush();
            busySince = 0;
        }
        boolean failed = report == null || report.failed();
        synchronized (lock) {
            schedule.vlanDone(vlan, failed, clock.instant());
        }
        metrics.vlanPass(vlan, report, trigger.label());
        metrics.headNode(vlan, report == null ? "unknown" : stateAfter(vlan, report));
        if (trigger != Trigger.PERIODIC) {
            MDC.put("vlan", vlan.toString());
            log.info("{} pass: {}", trigger.label(), failed ? "failed" : report.changed() ? "changed" : "no change");
            MDC.remove("vlan");
        }
    }

    /** The head node's state for metrics: its domain's run state, or deleting / undefined. */
    private String stateAfter(Vlan vlan, VlanReport report) {
        if (report.action().equals("absent")) {
            return Files.exists(specs.file(vlan)) ? "deleting" : null;
        }
        try {
            return hypervisor.state(HeadnodePaths.domainName(vlan)).name().toLowerCase(Locale.ROOT);
        } catch (HypervisorException e) {
            return e.kind() == HypervisorException.Kind.NO_DOMAIN ? "undefined" : "unknown";
        }
    }

    @Override
    public void onEvent(DomainEvent event) {
        metrics.event(event.type().name().toLowerCase(Locale.ROOT));
        Optional<Vlan> vlan = HeadnodePaths.vlanOfDomain(event.domain());
        if (vlan.isEmpty() || IGNORED.contains(event.type())) {
            return;
        }
        synchronized (lock) {
            if (schedule != null && schedule.event(vlan.get())) {
                log.debug("domain {} {}: reconciling VLAN {}", event.domain(), event.type(), vlan.get());
                lock.notifyAll();
            }
        }
    }

    /** A pass for {@code vlan} soon (its desired state changed, e.g. cluster mode wrote its spec or share). */
    public void request(Vlan vlan) {
        synchronized (lock) {
            if (schedule != null && schedule.event(vlan)) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public void onSubscribed() {
        subscribed = true;
        metrics.subscribed(true);
        synchronized (lock) {
            if (schedule != null) {
                schedule.fullPassNow(clock.instant());   // events while we were away are lost: catch up
                lock.notifyAll();
            }
        }
    }

    @Override
    public void onLost(String why) {
        subscribed = false;
        metrics.subscribed(false);
    }

    /** Healthy for the watchdog: not stuck in one VLAN's pass for longer than {@code limit}. */
    boolean healthy(Duration limit) {
        long since = busySince;
        return since == 0 || System.nanoTime() - since < limit.toNanos();
    }

    private String status() {
        return "last pass " + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", libvirt events "
                + (subscribed ? "subscribed" : "not subscribed");
    }
}
