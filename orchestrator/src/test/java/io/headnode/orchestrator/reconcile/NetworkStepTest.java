package io.headnode.orchestrator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.orchestrator.TestSpecs;
import io.headnode.common.iproute.Link;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.orchestrator.net.VlanNetworkSpec;
import io.headnode.orchestrator.reconcile.action.AddPort;
import io.headnode.orchestrator.reconcile.action.CreateBridge;
import io.headnode.orchestrator.reconcile.action.CreateVlanLink;
import io.headnode.orchestrator.reconcile.action.SetLinkUp;
import io.headnode.orchestrator.render.DomainRendererTest;
import io.headnode.orchestrator.spec.HeadnodePaths;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Actual links -> the network step's actions. The trunk path (a {@code <trunk>.N} 802.1Q link) cannot run on the CI
 * kernel (no 8021q module), so it is checked here.
 */
class NetworkStepTest {
    static final VlanNetworkSpec BRIDGE_ONLY = new VlanNetworkSpec(new Vlan(100), "br-vlan100", Optional.empty());
    static final VlanNetworkSpec TRUNK = new VlanNetworkSpec(new Vlan(100), "br-vlan100", Optional.of("eth2"));
    final FakeVlanNetwork net = new FakeVlanNetwork();
    @TempDir
    Path tmp;

    static Link link(String name, String kind, boolean up, String master, Integer vlanId) {
        return new Link(name, kind, up, Optional.ofNullable(master), Optional.ofNullable(vlanId), Optional.empty(), Optional.empty());
    }

    static Map<String, Link> links(Link... ls) {
        Map<String, Link> m = new LinkedHashMap<>();
        for (Link l : ls) {
            m.put(l.name(), l);
        }
        return m;
    }

    @Test
    void bridgeOnlyFromNothing() {
        assertThat(NetworkStep.actions(net, BRIDGE_ONLY, links())).containsExactly(new CreateBridge(net, "br-vlan100"),
                new SetLinkUp(net, "br-vlan100"));
    }

    @Test
    void convergedIsEmptyAndADownBridgeIsBroughtUp() {
        assertThat(NetworkStep.actions(net, BRIDGE_ONLY, links(link("br-vlan100", "bridge", true, null, null)))).isEmpty();
        assertThat(NetworkStep.actions(net, BRIDGE_ONLY, links(link("br-vlan100", "bridge", false, null, null))))
                .containsExactly(new SetLinkUp(net, "br-vlan100"));
    }

    @Test
    void trunkPathFromNothing() {
        assertThat(NetworkStep.actions(net, TRUNK, links(link("eth2", "", true, null, null)))).containsExactly(
                new CreateBridge(net, "br-vlan100"), new SetLinkUp(net, "br-vlan100"), new CreateVlanLink(net, "eth2", "eth2.100", 100),
                new AddPort(net, "eth2.100", "br-vlan100"), new SetLinkUp(net, "eth2.100"));
    }

    @Test
    void trunkPathRepairsMasterAndState() {
        assertThat(NetworkStep.actions(net, TRUNK, links(link("eth2", "", true, null, null), link("br-vlan100", "bridge", true, null, null),
                link("eth2.100", "vlan", false, null, 100)))).containsExactly(new AddPort(net, "eth2.100", "br-vlan100"), new SetLinkUp(net, "eth2.100"));
        assertThat(NetworkStep.actions(net, TRUNK, links(link("eth2", "", true, null, null), link("br-vlan100", "bridge", true, null, null),
                link("eth2.100", "vlan", true, "br-vlan100", 100)))).isEmpty();
    }

    @Test
    void refusesWhatItCannotFix() {
        assertThatThrownBy(() -> NetworkStep.actions(net, TRUNK, links())).hasMessage("trunk interface eth2 does not exist");
        assertThatThrownBy(() -> NetworkStep.actions(net, TRUNK, links(link("eth2", "", true, null, null), link("eth2.100", "vlan", true, null, 200))))
                .hasMessage("eth2.100 exists but is not a vlan link with id 100");
        assertThatThrownBy(() -> NetworkStep.actions(net, BRIDGE_ONLY, links(link("br-vlan100", "veth", true, null, null))))
                .hasMessage("br-vlan100 exists but is a veth, not a bridge");
    }

    @Test
    void theStepNeedsThePublicBridgeAndRestartsOnlyForANewBridge() throws Exception {
        NetworkStep step = new NetworkStep(net, new HeadnodePaths(DomainRendererTest.config(tmp)));
        StepContext fresh = new StepContext(TestSpecs.spec(100));
        assertThat(step.plan(fresh).actions()).containsExactly(new CreateBridge(net, "br-vlan100"), new SetLinkUp(net, "br-vlan100"));
        assertThat(fresh.restartNeeded()).isTrue();

        net.with(link("br-vlan100", "bridge", false, null, null));
        StepContext down = new StepContext(TestSpecs.spec(100));
        assertThat(step.plan(down).actions()).containsExactly(new SetLinkUp(net, "br-vlan100"));
        assertThat(down.restartNeeded()).as("the taps stay on a bridge that was only down").isFalse();

        assertThatThrownBy(() -> step.plan(new StepContext(TestSpecs.spec(100, "br-nope", Path.of("/i.qcow2")))))
                .hasMessageStartingWith("public bridge br-nope does not exist");
        assertThat(net.changes).as("planning changes nothing").isEmpty();
    }
}
