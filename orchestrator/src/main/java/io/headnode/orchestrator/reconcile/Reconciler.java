package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.action.Action;
import io.headnode.orchestrator.reconcile.action.ForgetSpec;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import io.headnode.orchestrator.util.Errors;
import jakarta.inject.Inject;
import com.google.inject.name.Named;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Converges one VLAN (or all) to its spec, one idempotent step after another, under the VLAN's lock. A present
 * spec runs the create pipeline; an absent one the delete pipeline, and the spec file goes once that converged.
 * Each step returns typed {@link Action}s; the reconciler applies them, or for a dry run only reports them, so
 * what a dry run prints is what a real run does. A step that fails stops the pass (later steps depend on it); the
 * next pass starts over and finishes the work, so a crash anywhere leaves a state the next reconcile completes.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private final SpecStore specs;
    private final VlanLock lock;
    private final List<Step> createSteps;
    private final List<Step> deleteSteps;
    private final ReconcileObserver observer;

    @Inject
    public Reconciler(SpecStore specs, VlanLock lock, @Named("create") List<Step> createSteps,
                      @Named("delete") List<Step> deleteSteps, ReconcileObserver observer) {
        this.specs = Objects.requireNonNull(specs, "specs is null");
        this.lock = Objects.requireNonNull(lock, "lock is null");
        this.createSteps = List.copyOf(createSteps);
        this.deleteSteps = List.copyOf(deleteSteps);
        this.observer = Objects.requireNonNull(observer, "observer is null");
    }

    /** One pass over every VLAN that has a spec. */
    public List<VlanReport> reconcileAll(boolean dryRun) throws Exception {
        List<VlanReport> out = new ArrayList<>();
        for (Vlan v : specs.vlans()) {
            out.add(reconcile(v, dryRun));
        }
        return out;
    }

    public VlanReport reconcile(Vlan vlan, boolean dryRun) throws Exception {
        MDC.put("vlan", vlan.toString());
        try (VlanLock.Held held = lock.acquire(vlan)) {
            Optional<HeadnodeSpec> spec;
            try {
                spec = specs.read(vlan);
            } catch (Exception e) {
                return new VlanReport(vlan, "read spec", dryRun, List.of(StepResult.failed("spec", List.of(), Errors.oneLine(e))));
            }
            if (spec.isEmpty()) {
                return new VlanReport(vlan, "none", dryRun, List.of(StepResult.skipped("spec", "no head node is declared for VLAN " + vlan)));
            }
            return run(spec.get(), dryRun);
        } finally {
            MDC.remove("vlan");
        }
    }

    /**
     * Runs a spec's pipeline without reading or writing the spec store (the caller holds the lock). Each step plans
     * against the state the earlier steps left: in a real run its actions are applied before the next step plans.
     */
    private VlanReport run(HeadnodeSpec spec, boolean dryRun) throws Exception {
        boolean present = spec.present();
        StepContext ctx = new StepContext(spec);
        List<StepResult> results = new ArrayList<>();
        for (Step step : present ? createSteps : deleteSteps) {
            long start = System.nanoTime();
            StepResult r = execute(step.name(), () -> step.plan(ctx), dryRun);
            observer.stepFinished(spec.vlan(), r, Duration.ofNanos(System.nanoTime() - start));
            results.add(r);
            if (r.outcome() == Outcome.FAILED) {
                if (dryRun) {
                    continue; // a plan shows every step, even after one that could not be checked
                }
                break;
            }
            observer.afterStep(spec.vlan(), step.name());
        }
        boolean failed = results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
        if (!present && !failed) {
            results.add(execute("spec", () -> Plan.of(new ForgetSpec(specs, spec.vlan())), dryRun));
        }
        return new VlanReport(spec.vlan(), present ? "present" : "absent", dryRun, results);
    }

    /** A source of one step's plan. */
    private interface Planner {
        Plan plan() throws Exception;
    }

    /** Plans one step and, unless this is a dry run, applies its actions in order. A failure is one line. */
    private static StepResult execute(String step, Planner planner, boolean dryRun) {
        Plan plan;
        try {
            plan = planner.plan();
        } catch (Exception e) {
            return failed(step, List.of(), e);
        }
        if (plan.skipped().isPresent()) {
            log.debug("step {}: skipped: {}", step, plan.skipped().get());
            return StepResult.skipped(step, plan.skipped().get());
        }
        List<Action> applied = new ArrayList<>();
        for (Action a : plan.actions()) {
            if (dryRun) {
                log.debug("step {}: would {}", step, a.describe());
                continue;
            }
            try {
                a.apply();
            } catch (Exception e) {
                return failed(step, applied, e);
            }
            log.info("step {}: {}", step, a.describe());
            applied.add(a);
        }
        return StepResult.of(step, dryRun, plan.actions());
    }

    private static StepResult failed(String step, List<Action> applied, Exception e) {
        String msg = Errors.oneLine(e);
        log.warn("step {} failed: {}", step, msg);
        return StepResult.failed(step, applied, msg);
    }

    /** Writes {@code spec} under the VLAN's lock, then converges it (the create and delete commands). */
    public VlanReport apply(HeadnodeSpec spec, boolean dryRun) throws Exception {
        MDC.put("vlan", spec.vlan().toString());
        try (VlanLock.Held held = lock.acquire(spec.vlan())) {
            if (!dryRun) {
                specs.write(spec);
            }
            return run(spec, dryRun);
        } finally {
            MDC.remove("vlan");
        }
    }
}
