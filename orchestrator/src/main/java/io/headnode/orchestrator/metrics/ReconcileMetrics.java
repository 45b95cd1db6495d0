package io.headnode.orchestrator.metrics;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.Outcome;
import io.headnode.orchestrator.reconcile.ReconcileObserver;
import io.headnode.orchestrator.reconcile.StepResult;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.reconcile.action.Action;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reconcile service's metrics (Prometheus client library, names prefixed {@code headnode_}), in a registry of its
 * own. As one of the pipeline's observers (the service adds it) it times every step; the service reports passes, head
 * node states and libvirt events.
 */
@Singleton
public final class ReconcileMetrics implements ReconcileObserver {
    /** The values of {@code headnode_head_nodes{state}}: libvirt's run states, plus undefined, deleting and unknown. */
    public static final List<String> STATES = List.of("running", "paused", "shutting_down", "shutoff", "crashed", "other",
            "undefined", "deleting", "unknown");
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<Vlan, String> stateByVlan = new ConcurrentHashMap<>();
    private final Set<Vlan> failing = ConcurrentHashMap.newKeySet();
    private final Counter passes = Counter.builder().name("headnode_reconcile_passes")
            .help("Periodic (or catch-up) passes over every declared head node").register(registry);
    private final Counter vlanPasses = Counter.builder().name("headnode_reconcile_vlan_passes")
            .help("Passes over one VLAN's head node, by trigger (periodic, event, retry) and result (unchanged, changed, failed)")
            .labelNames("trigger", "result").register(registry);
    private final Counter repairs = Counter.builder().name("headnode_reconcile_repairs")
            .help("Actions applied to converge a head node, by step and action").labelNames("step", "action").register(registry);
    private final Counter stepFailures = Counter.builder().name("headnode_reconcile_step_failures")
            .help("Steps that failed, by step").labelNames("step").register(registry);
    private final Histogram stepDuration = Histogram.builder().name("headnode_reconcile_step_duration_seconds")
            .help("Time to plan and apply one step of one VLAN").labelNames("step").classicOnly()
            .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30).register(registry);
    private final Gauge lastPass = Gauge.builder().name("headnode_reconcile_last_pass_timestamp_seconds")
            .help("When the last periodic pass ended (Unix time)").register(registry);
    private final Gauge lastPassDuration = Gauge.builder().name("headnode_reconcile_last_pass_duration_seconds")
            .help("How long the last periodic pass took").register(registry);
    private final Counter events = Counter.builder().name("headnode_libvirt_events")
            .help("Domain lifecycle events received from libvirt, by type").labelNames("type").register(registry);
    private final Gauge subscribed = Gauge.builder().name("headnode_libvirt_events_subscribed")
            .help("1 while the service receives libvirt's domain events, else 0").register(registry);

    public ReconcileMetrics() {
        GaugeWithCallback.builder().name("headnode_head_nodes")
                .help("Declared head nodes by the state of their domain after their last pass").labelNames("state")
                .callback(cb -> {
                    for (String s : STATES) {
                        cb.call(stateByVlan.values().stream().filter(s::equals).count(), s);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("headnode_reconcile_failing_head_nodes")
                .help("Head nodes whose last pass failed").callback(cb -> cb.call(failing.size())).register(registry);
    }

    @Override
    public void afterStep(Vlan vlan, String step) {
        // only step durations are recorded (stepFinished)
    }

    @Override
    public void stepFinished(Vlan vlan, StepResult result, Duration took) {
        stepDuration.labelValues(result.step()).observe(took.toNanos() / 1e9);
    }

    /** One VLAN's pass ended (or threw, then {@code report} is null and the pass counts as failed). */
    public void vlanPass(Vlan vlan, VlanReport report, String trigger) {
        boolean failed = report == null || report.failed();
        vlanPasses.labelValues(trigger, failed ? "failed" : report.changed() ? "changed" : "unchanged").inc();
        if (failed) {
            failing.add(vlan);
        } else {
            failing.remove(vlan);
        }
        if (report == null) {
            return;
        }
        for (StepResult s : report.steps()) {
            for (Action a : s.actions()) {
                if (s.outcome() == Outcome.CHANGED || s.outcome() == Outcome.FAILED) {
                    repairs.labelValues(s.step(), a.getClass().getSimpleName()).inc();
                }
            }
            if (s.outcome() == Outcome.FAILED) {
                stepFailures.labelValues(s.step()).inc();
            }
        }
    }

    /** The head node's state after its pass (one of {@link #STATES}); null forgets the VLAN (no spec any more). */
    public void headNode(Vlan vlan, String state) {
        if (state == null) {
            stateByVlan.remove(vlan);
            failing.remove(vlan);
            return;
        }
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("unknown head node state " + state);
        }
        stateByVlan.put(vlan, state);
    }

    /** A periodic pass over {@code declared} ended at {@code end}; VLANs no longer declared are forgotten. */
    public void pass(Set<Vlan> declared, Instant end, Duration took) {
        passes.inc();
        stateByVlan.keySet().retainAll(declared);
        failing.retainAll(declared);
        lastPass.set(end.toEpochMilli() / 1000.0);
        lastPassDuration.set(took.toNanos() / 1e9);
    }

    public void event(String type) {
        events.labelValues(type).inc();
    }

    public void subscribed(boolean on) {
        subscribed.set(on ? 1 : 0);
    }

    /** Everything, for the exposition. */
    public MetricSnapshots scrape() {
        return registry.scrape();
    }
}
