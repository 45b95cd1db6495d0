package io.headnode.orchestrator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.orchestrator.TestSpecs;
import io.headnode.common.iproute.Link;
import io.headnode.orchestrator.FakeHypervisor;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.reconcile.action.DeleteLink;
import io.headnode.orchestrator.render.DomainRendererTest;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actual links and domains -> the delete pipeline's network actions: the bridge stays while anything else uses it. */
class RemoveNetworkStepTest {
    @TempDir
    Path tmp;
    final FakeVlanNetwork net = new FakeVlanNetwork();
    final FakeHypervisor hv = new FakeHypervisor();
    final HeadnodeSpec absent = TestSpecs.spec(100).markedAbsent(false);

    Plan plan(HeadnodeSpec spec) {
        return new RemoveNetworkStep(net, hv, new HeadnodePaths(DomainRendererTest.config(tmp))).plan(new StepContext(spec));
    }

    static Link port(String name, String bridge, String mac) {
        return new Link(name, "tun", true, Optional.of(bridge), Optional.empty(), Optional.empty(), Optional.ofNullable(mac));
    }

    @Test
    void anUnusedBridgeIsDeletedAndAMissingOneIsNoAction() {
        assertThat(plan(absent)).isEqualTo(Plan.none());
        net.with(Link.of("br-vlan100", "bridge", true));
        assertThat(plan(absent).actions()).containsExactly(new DeleteLink(net, "br-vlan100"));
    }

    @Test
    void withATrunkTheVlanLinkGoesFirst() {
        HeadnodeSpec trunked = new HeadnodeSpec(absent.vlan(), false, false, Optional.of("eth2"), "br0", 256, 1, absent.image(), Optional.empty(),
                Optional.empty(), Optional.empty(), absent.uuid(), absent.vlanMac(), absent.publicMac());
        net.with(Link.of("br-vlan100", "bridge", true)).with(Link.of("eth2.100", "vlan", true).withMaster("br-vlan100"));
        assertThat(plan(trunked).actions()).containsExactly(new DeleteLink(net, "eth2.100"), new DeleteLink(net, "br-vlan100"));
    }

    @Test
    void aForeignPortOrAnotherDomainKeepsTheBridge() {
        net.with(Link.of("br-vlan100", "bridge", true)).with(port("veth-lab0", "br-vlan100", "7e:e5:8d:cb:36:69"));
        assertThat(plan(absent)).isEqualTo(Plan.skip("kept bridge br-vlan100: used by port veth-lab0"));
        net.delete("veth-lab0");
        hv.with(new DomainStatus("other", "00000000-0000-0000-0000-000000000001", RunState.SHUTOFF, false, true,
                "<domain type='qemu'><name>other</name><devices><interface type='bridge'><source bridge='br-vlan100'/></interface></devices></domain>"));
        assertThat(plan(absent)).isEqualTo(Plan.skip("kept bridge br-vlan100: used by domain other"));
    }

    @Test
    void ourOwnDomainsTapDoesNotKeepTheBridge() {
        // libvirt gives the tap the guest NIC's MAC (02:48:4e:00:00:64) with the first octet fe; the domain step stops it first
        net.with(Link.of("br-vlan100", "bridge", true)).with(port("vnet0", "br-vlan100", "fe:48:4e:00:00:64"));
        assertThat(plan(absent).actions()).containsExactly(new DeleteLink(net, "br-vlan100"));
        net.with(port("vnet1", "br-vlan100", "fe:48:4e:00:00:65"));
        assertThat(plan(absent).skipped()).contains("kept bridge br-vlan100: used by port vnet1");
    }
}
