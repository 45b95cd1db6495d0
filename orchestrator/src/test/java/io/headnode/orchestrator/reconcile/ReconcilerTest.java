package io.headnode.orchestrator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.render.DomainRendererTest;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan semantics with fake steps: order, a failure stops a pass, a dry run reports every step, deletes forget the spec. */
class ReconcilerTest {
    @TempDir
    Path tmp;
    final List<String> ran = new ArrayList<>();

    Step step(String name, String change, boolean fail) {
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public StepResult apply(StepContext ctx) {
                ran.add(name + (ctx.dryRun() ? "?" : ""));
                if (fail) {
                    throw new IllegalStateException(name + " broke\nsecond line");
                }
                return StepResult.of(name, ctx.dryRun(), change == null ? List.of() : List.of(change));
            }
        };
    }

    Reconciler reconciler(SpecStore store, List<Step> create, List<Step> delete) {
        return new Reconciler(store, new VlanLock(new HeadnodePaths(DomainRendererTest.config(tmp))), create, delete, ReconcileObserver.NONE);
    }

    static HeadnodeSpec spec(int id) {
        Vlan v = new Vlan(id);
        return new HeadnodeSpec(v, true, false, Optional.empty(), "br0", 256, 1, Path.of("/i.qcow2"), Optional.empty(), Optional.empty(),
                Optional.empty(), HeadnodeSpec.uuidFor(v), HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v));
    }

    @Test
    void stepsRunInOrderAndAFailureStopsThePassWithOneLine() throws Exception {
        SpecStore store = new SpecStore(DomainRendererTest.config(tmp));
        VlanReport r = reconciler(store, List.of(step("a", "did a", false), step("b", null, true), step("c", "did c", false)), List.of())
                .apply(spec(5), false);
        assertThat(ran).containsExactly("a", "b");
        assertThat(r.failed()).isTrue();
        assertThat(r.describe()).isEqualTo("vlan 5 (present): FAILED\n  a: changed: did a\n  b: FAILED: b broke\n");
        assertThat(store.read(new Vlan(5))).contains(spec(5));
    }

    @Test
    void aDryRunChecksEveryStepAndWritesNoSpec() throws Exception {
        SpecStore store = new SpecStore(DomainRendererTest.config(tmp));
        VlanReport r = reconciler(store, List.of(step("a", "would a", false), step("b", null, true), step("c", null, false)), List.of())
                .apply(spec(6), true);
        assertThat(ran).containsExactly("a?", "b?", "c?");
        assertThat(r.describe()).startsWith("vlan 6 (present): FAILED\n  a: would: would a\n");
        assertThat(store.read(new Vlan(6))).isEmpty();
    }

    @Test
    void convergedSaysNoChangeAndAnAbsentSpecIsForgottenOnlyWhenTheDeleteConverged() throws Exception {
        SpecStore store = new SpecStore(DomainRendererTest.config(tmp));
        assertThat(reconciler(store, List.of(step("a", null, false)), List.of()).apply(spec(7), false).describe())
                .isEqualTo("vlan 7 (present): no change\n");
        VlanReport failed = reconciler(store, List.of(), List.of(step("x", null, true))).apply(spec(7).markedAbsent(false), false);
        assertThat(failed.failed()).isTrue();
        assertThat(store.read(new Vlan(7))).map(HeadnodeSpec::present).contains(false);
        VlanReport done = reconciler(store, List.of(), List.of(step("x", "removed", false))).reconcile(new Vlan(7), false);
        assertThat(done.describe()).contains("spec: changed: forgot the spec of VLAN 7");
        assertThat(store.read(new Vlan(7))).isEmpty();
        assertThat(reconciler(store, List.of(), List.of()).reconcile(new Vlan(7), false).describe())
                .contains("no head node is declared for VLAN 7");
    }
}
