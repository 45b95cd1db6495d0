package io.headnode.orchestrator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.orchestrator.TestSpecs;
import io.headnode.orchestrator.FakeHypervisor;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.reconcile.action.CreateDirectory;
import io.headnode.orchestrator.reconcile.action.DefineDomain;
import io.headnode.orchestrator.reconcile.action.RedefineDomain;
import io.headnode.orchestrator.reconcile.action.RestartDomain;
import io.headnode.orchestrator.reconcile.action.ResumeDomain;
import io.headnode.orchestrator.reconcile.action.SetAutostart;
import io.headnode.orchestrator.reconcile.action.StartDomain;
import io.headnode.orchestrator.reconcile.action.StopDomain;
import io.headnode.orchestrator.reconcile.action.UndefineDomain;
import io.headnode.orchestrator.render.DomainRenderer;
import io.headnode.orchestrator.render.DomainRendererTest;
import io.headnode.orchestrator.render.DomainTypeProbe;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actual libvirt state -> the domain, autostart, running and remove-domain steps' actions (planning changes nothing). */
class DomainStepsTest {
    static final String NAME = "headnode-vlan100";
    @TempDir
    Path tmp;
    final FakeHypervisor hv = new FakeHypervisor();
    HeadnodePaths paths;
    String xml;
    final HeadnodeSpec spec = TestSpecs.spec(100);

    @BeforeEach
    void renderer() {
        HostConfig c = DomainRendererTest.config(tmp);
        paths = new HeadnodePaths(c);
        xml = new DomainRenderer(paths, new DomainTypeProbe(c)).render(spec);
    }

    DomainStep domainStep() {
        HostConfig c = DomainRendererTest.config(tmp);
        return new DomainStep(hv, new DomainRenderer(paths, new DomainTypeProbe(c)), paths);
    }

    /** The create pipeline's last three steps, as the reconciler runs them for a dry run. */
    List<Plan> plans(StepContext ctx) throws Exception {
        return List.of(domainStep().plan(ctx), new AutostartStep(hv, DomainRendererTest.config(tmp)).plan(ctx), new RunningStep(hv).plan(ctx));
    }

    DomainStatus found(RunState state, boolean autostart, boolean persistent, String inactiveXml) {
        return new DomainStatus(NAME, spec.uuid().toString(), state, autostart, persistent, inactiveXml);
    }

    @Test
    void aMissingDomainIsDefinedAutostartedAndStarted() throws Exception {
        List<Plan> p = plans(new StepContext(spec));
        assertThat(p.get(0).actions()).containsExactly(new CreateDirectory(tmp.resolve("state/console")), new CreateDirectory(tmp.resolve("state/run")),
                new DefineDomain(hv, NAME, xml, ""));
        assertThat(p.get(1).actions()).containsExactly(new SetAutostart(hv, NAME, true));
        assertThat(p.get(2).actions()).containsExactly(new StartDomain(hv, NAME, RunState.SHUTOFF));
        assertThat(p.get(2).actions().get(0).describe()).isEqualTo("start " + NAME + " (was shutoff)");
        assertThat(hv.changes).isEmpty();
    }

    @Test
    void clusterModeTurnsAutostartOffOnce() throws Exception {
        HostConfig c = DomainRendererTest.config(tmp);
        AutostartStep clustered = new AutostartStep(hv, c.withCluster(c.cluster().withConnect("zk1:2181,zk2:2181")));
        StepContext fresh = new StepContext(spec);
        domainStep().plan(fresh);
        assertThat(clustered.plan(fresh).actions()).as("a new domain: nothing to turn off").isEmpty();

        hv.with(found(RunState.RUNNING, true, true, xml));   // defined before cluster mode, or by hand
        StepContext ctx = new StepContext(spec);
        domainStep().plan(ctx);
        List<io.headnode.orchestrator.reconcile.action.Action> off = clustered.plan(ctx).actions();
        assertThat(off).containsExactly(new SetAutostart(hv, NAME, false));
        assertThat(off.get(0).describe()).startsWith("autostart off " + NAME + " (cluster mode");
        off.get(0).apply();
        assertThat(hv.changes).containsExactly("autostart " + NAME);
        assertThat(hv.lookup(NAME).orElseThrow().autostart()).isFalse();
        StepContext again = new StepContext(spec);
        domainStep().plan(again);
        assertThat(clustered.plan(again).actions()).as("applied twice, changed once").isEmpty();
    }

    @Test
    void convergedIsNoAction() throws Exception {
        Files.createDirectories(tmp.resolve("state/console"));
        Files.createDirectories(tmp.resolve("state/run"));
        hv.with(found(RunState.RUNNING, true, true, xml));
        assertThat(plans(new StepContext(spec))).allSatisfy(p -> assertThat(p.actions()).isEmpty());
    }

    @Test
    void driftOfARunningDomainIsRedefinedAndRestarted() throws Exception {
        hv.with(found(RunState.RUNNING, true, true, xml.replace("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>3</vcpu>")));
        StepContext ctx = new StepContext(spec);
        List<Plan> p = plans(ctx);
        assertThat(p.get(0).actions()).endsWith(new RedefineDomain(hv, NAME, xml, List.of("vcpus: 3 -> 1")));
        assertThat(p.get(0).actions().get(p.get(0).actions().size() - 1).describe()).isEqualTo("redefine " + NAME + ": vcpus: 3 -> 1");
        assertThat(p.get(1).actions()).isEmpty();
        assertThat(p.get(2).actions()).containsExactly(new RestartDomain(hv, NAME));
    }

    @Test
    void driftOfAStoppedDomainNeedsNoRestart() throws Exception {
        hv.with(found(RunState.SHUTOFF, true, true, xml.replace("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>3</vcpu>")));
        StepContext ctx = new StepContext(spec);
        List<Plan> p = plans(ctx);
        assertThat(ctx.restartNeeded()).isFalse();
        assertThat(p.get(2).actions()).containsExactly(new StartDomain(hv, NAME, RunState.SHUTOFF));
    }

    @Test
    void aRunningDomainWithoutDefinitionIsDefinedAgainAndAutostarted() throws Exception {
        hv.with(found(RunState.RUNNING, false, false, xml));
        List<Plan> p = plans(new StepContext(spec));
        assertThat(p.get(0).actions()).endsWith(new DefineDomain(hv, NAME, xml, "it was running without a persistent definition"));
        assertThat(p.get(1).actions()).containsExactly(new SetAutostart(hv, NAME, true));
        assertThat(p.get(2).actions()).as("same shape: no restart").isEmpty();
    }

    @Test
    void pausedIsResumedAndCrashedIsStoppedThenStarted() throws Exception {
        hv.with(found(RunState.PAUSED, true, true, xml));
        assertThat(plans(new StepContext(spec)).get(2).actions()).containsExactly(new ResumeDomain(hv, NAME));
        hv.with(found(RunState.CRASHED, true, true, xml));
        assertThat(plans(new StepContext(spec)).get(2).actions()).containsExactly(new StopDomain(hv, NAME),
                new StartDomain(hv, NAME, RunState.CRASHED));
    }

    @Test
    void aDomainWithOurNameAndAnotherUuidIsNotOurs() {
        hv.with(new DomainStatus(NAME, "00000000-0000-0000-0000-000000000001", RunState.RUNNING, true, true, xml));
        assertThatThrownBy(() -> domainStep().plan(new StepContext(spec))).hasMessageContaining("it is not ours");
        assertThatThrownBy(() -> new RemoveDomainStep(hv).plan(new StepContext(spec.markedAbsent(false)))).hasMessageContaining("not ours, left alone");
    }

    @Test
    void removeStopsARunningDomainThenUndefinesIt() throws Exception {
        RemoveDomainStep step = new RemoveDomainStep(hv);
        StepContext ctx = new StepContext(spec.markedAbsent(false));
        assertThat(step.plan(ctx).actions()).isEmpty();
        hv.with(found(RunState.SHUTOFF, true, true, xml));
        assertThat(step.plan(ctx).actions()).containsExactly(new UndefineDomain(hv, NAME));
        hv.with(found(RunState.RUNNING, true, true, xml));
        Plan p = step.plan(ctx);
        assertThat(p.actions()).containsExactly(new StopDomain(hv, NAME), new UndefineDomain(hv, NAME));
        ShareStepTest.apply(p);
        assertThat(hv.lookup(NAME)).isEmpty();
        assertThat(step.plan(ctx).actions()).isEmpty();
    }
}
