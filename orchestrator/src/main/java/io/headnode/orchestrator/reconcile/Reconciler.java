package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import jakarta.inject.Inject;
import com.google.inject.name.Named;
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
 * A step that fails stops the pass (later steps depend on it); the next pass starts over and finishes the work,
 * so a crash anywhere leaves a state the next reconcile completes.
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
                return new VlanReport(vlan, "read spec", dryRun, List.of(new StepResult("spec", Outcome.FAILED,
                        List.of(io.headnode.orchestrator.util.Errors.oneLine(e)))));
            }
            if (spec.isEmpty()) {
                return new VlanReport(vlan, "none", dryRun, List.of(StepResult.skipped("spec", "no head node is declared for VLAN " + vlan)));
            }
            return run(spec.get(), dryRun);
        } finally {
            MDC.remove("vlan");
        }
    }

    /** Runs a spec's pipeline without reading or writing the spec store (the caller holds the lock). */
    private VlanReport run(HeadnodeSpec spec, boolean dryRun) throws Exception {
        boolean present = spec.present();
        StepContext ctx = new StepContext(spec, dryRun);
        List<StepResult> results = new ArrayList<>();
        for (Step step : present ? createSteps : deleteSteps) {
            StepResult r;
            try {
                r = step.apply(ctx);
            } catch (Exception e) {
                String msg = io.headnode.orchestrator.util.Errors.oneLine(e);
                log.warn("step {} failed: {}", step.name(), msg);
                results.add(new StepResult(step.name(), Outcome.FAILED, List.of(msg)));
                if (dryRun) {
                    continue; // a plan shows every step, even after one that could not be checked
                }
                break;
            }
            if (r.changed()) {
                log.info("step {}: {}", step.name(), r.details());
            } else {
                log.debug("step {}: {}", step.name(), r.outcome());
            }
            results.add(r);
            observer.afterStep(spec.vlan(), step.name());
        }
        boolean failed = results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
        if (!present && !failed) {
            if (dryRun) {
                results.add(new StepResult("spec", Outcome.WOULD_CHANGE, List.of("forget the spec of VLAN " + spec.vlan())));
            } else {
                specs.remove(spec.vlan());
                results.add(new StepResult("spec", Outcome.CHANGED, List.of("forgot the spec of VLAN " + spec.vlan())));
            }
        }
        return new VlanReport(spec.vlan(), present ? "present" : "absent", dryRun, results);
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
