package io.headnode.orchestrator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static io.headnode.orchestrator.TestSpecs.spec;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.action.Action;
import io.headnode.orchestrator.reconcile.action.CreateDirectory;
import io.headnode.orchestrator.reconcile.action.ForgetSpec;
import io.headnode.orchestrator.render.DomainRendererTest;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipeline semantics with stub steps whose actions create directories: order, a failure stops a pass with one line,
 * a dry run plans every step and applies nothing, deletes forget the spec.
 */
class ReconcilerTest {
    @TempDir
    Path tmp;
    final List<String> planned = new ArrayList<>();

    /** A step whose plan is to create {@code dirs} under tmp (none: converged); fails to plan when {@code fail}. */
    Step step(String name, boolean fail, String... dirs) {
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Plan plan(StepContext ctx) {
                planned.add(name);
                if (fail) {
                    throw new IllegalStateException(name + " broke\nsecond line");
                }
                List<Action> actions = new ArrayList<>();
                for (String d : dirs) {
                    if (!Files.isDirectory(tmp.resolve(d))) {
                        actions.add(new CreateDirectory(tmp.resolve(d)));
                    }
                }
                return Plan.of(actions);
            }
        };
    }

    Reconciler reconciler(SpecStore store, List<Step> create, List<Step> delete) {
        return new Reconciler(store, new VlanLock(new HeadnodePaths(DomainRendererTest.config(tmp))), create, delete, ReconcileObserver.NONE);
    }

    SpecStore store() {
        return new SpecStore(DomainRendererTest.config(tmp));
    }

    @Test
    void stepsRunInOrderAndAFailureStopsThePassWithOneLine() throws Exception {
        SpecStore store = store();
        VlanReport r = reconciler(store, List.of(step("a", false, "a"), step("b", true), step("c", false, "c")), List.of()).apply(spec(5), false);
        assertThat(planned).containsExactly("a", "b");
        assertThat(r.failed()).isTrue();
        assertThat(r.describe()).isEqualTo("vlan 5 (present): FAILED\n  a: changed: create " + tmp.resolve("a") + "\n  b: FAILED: b broke\n");
        assertThat(tmp.resolve("a")).isDirectory();
        assertThat(tmp.resolve("c")).doesNotExist();
        assertThat(store.read(new Vlan(5))).contains(spec(5));
    }

    @Test
    void aFailingActionStopsThePassAndTheReportKeepsWhatWasDone() throws Exception {
        Files.writeString(tmp.resolve("file"), "in the way");
        VlanReport r = reconciler(store(), List.of(step("a", false, "x", "file/sub", "y"), step("b", false, "b")), List.of()).apply(spec(5), false);
        assertThat(r.describe()).startsWith("vlan 5 (present): FAILED\n  a: changed: create " + tmp.resolve("x") + "\n  a: FAILED: ")
                .doesNotContain("create " + tmp.resolve("y")).doesNotContain("  b:");
        assertThat(r.describe().lines()).hasSize(3);
        assertThat(planned).containsExactly("a");
        assertThat(tmp.resolve("y")).doesNotExist();
    }

    @Test
    void aDryRunPlansEveryStepAppliesNothingAndWritesNoSpec() throws Exception {
        SpecStore store = store();
        VlanReport r = reconciler(store, List.of(step("a", false, "a"), step("b", true), step("c", false)), List.of()).apply(spec(6), true);
        assertThat(planned).containsExactly("a", "b", "c");
        assertThat(r.describe()).isEqualTo("vlan 6 (present): FAILED\n  a: would: create " + tmp.resolve("a") + "\n  b: FAILED: b broke\n");
        assertThat(r.actions()).containsExactly(new CreateDirectory(tmp.resolve("a")));
        assertThat(tmp.resolve("a")).doesNotExist();
        assertThat(store.read(new Vlan(6))).isEmpty();
    }

    @Test
    void theDryRunPlansTheActionsTheRealRunApplies() throws Exception {
        Reconciler rec = reconciler(store(), List.of(step("a", false, "a1", "a2"), step("b", false), step("c", false, "c")), List.of());
        VlanReport dry = rec.apply(spec(8), true);
        VlanReport real = rec.apply(spec(8), false);
        assertThat(real.actions()).isNotEmpty().isEqualTo(dry.actions());
        assertThat(real.describe()).isEqualTo(dry.describe().replace(": would: ", ": changed: ").replace("would change", "changed"));
        VlanReport again = rec.apply(spec(8), false);
        assertThat(again.describe()).as("apply twice, change once").isEqualTo("vlan 8 (present): no change\n");
        assertThat(again.actions()).isEmpty();
    }

    @Test
    void convergedSaysNoChangeAndAnAbsentSpecIsForgottenOnlyWhenTheDeleteConverged() throws Exception {
        SpecStore store = store();
        assertThat(reconciler(store, List.of(step("a", false)), List.of()).apply(spec(7), false).describe())
                .isEqualTo("vlan 7 (present): no change\n");
        VlanReport failed = reconciler(store, List.of(), List.of(step("x", true))).apply(spec(7).markedAbsent(false), false);
        assertThat(failed.failed()).isTrue();
        assertThat(store.read(new Vlan(7))).map(HeadnodeSpec::present).contains(false);
        VlanReport dry = reconciler(store, List.of(), List.of(step("x", false, "x"))).reconcile(new Vlan(7), true);
        assertThat(dry.describe()).contains("spec: would: forget the spec of VLAN 7");
        assertThat(store.read(new Vlan(7))).isPresent();
        VlanReport done = reconciler(store, List.of(), List.of(step("x", false, "x"))).reconcile(new Vlan(7), false);
        assertThat(done.describe()).contains("spec: changed: forget the spec of VLAN 7");
        assertThat(done.actions()).contains(new ForgetSpec(store, new Vlan(7)));
        assertThat(store.read(new Vlan(7))).isEmpty();
        assertThat(reconciler(store, List.of(), List.of()).reconcile(new Vlan(7), false).describe())
                .contains("no head node is declared for VLAN 7");
    }
}
