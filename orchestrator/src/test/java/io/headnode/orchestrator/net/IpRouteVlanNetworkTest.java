package io.headnode.orchestrator.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Vlan;
import io.headnode.common.exec.CommandResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The iproute2 argument arrays. The trunk path (a {@code <trunk>.N} 802.1Q link) cannot run on the CI kernel (no
 * 8021q module), so its arrays are checked here.
 */
class IpRouteVlanNetworkTest {
    static final VlanNetworkSpec BRIDGE_ONLY = new VlanNetworkSpec(new Vlan(100), "br-vlan100", Optional.empty());
    static final VlanNetworkSpec TRUNK = new VlanNetworkSpec(new Vlan(100), "br-vlan100", Optional.of("eth2"));

    static Link link(String name, String kind, boolean up, String master, Integer vlanId) {
        return new Link(name, kind, up, Optional.ofNullable(master), Optional.ofNullable(vlanId), Optional.empty());
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
        assertThat(IpRouteVlanNetwork.plan(BRIDGE_ONLY, links())).containsExactly(
                List.of("ip", "link", "add", "name", "br-vlan100", "type", "bridge"),
                List.of("ip", "link", "set", "dev", "br-vlan100", "up"));
    }

    @Test
    void convergedIsEmptyAndADownBridgeIsBroughtUp() {
        assertThat(IpRouteVlanNetwork.plan(BRIDGE_ONLY, links(link("br-vlan100", "bridge", true, null, null)))).isEmpty();
        assertThat(IpRouteVlanNetwork.plan(BRIDGE_ONLY, links(link("br-vlan100", "bridge", false, null, null))))
                .containsExactly(List.of("ip", "link", "set", "dev", "br-vlan100", "up"));
    }

    @Test
    void trunkPathFromNothing() {
        assertThat(IpRouteVlanNetwork.plan(TRUNK, links(link("eth2", "", true, null, null)))).containsExactly(
                List.of("ip", "link", "add", "name", "br-vlan100", "type", "bridge"),
                List.of("ip", "link", "set", "dev", "br-vlan100", "up"),
                List.of("ip", "link", "add", "link", "eth2", "name", "eth2.100", "type", "vlan", "id", "100"),
                List.of("ip", "link", "set", "dev", "eth2.100", "master", "br-vlan100"),
                List.of("ip", "link", "set", "dev", "eth2.100", "up"));
    }

    @Test
    void trunkPathRepairsMasterAndState() {
        assertThat(IpRouteVlanNetwork.plan(TRUNK, links(link("eth2", "", true, null, null), link("br-vlan100", "bridge", true, null, null),
                link("eth2.100", "vlan", false, null, 100)))).containsExactly(
                List.of("ip", "link", "set", "dev", "eth2.100", "master", "br-vlan100"),
                List.of("ip", "link", "set", "dev", "eth2.100", "up"));
        assertThat(IpRouteVlanNetwork.plan(TRUNK, links(link("eth2", "", true, null, null), link("br-vlan100", "bridge", true, null, null),
                link("eth2.100", "vlan", true, "br-vlan100", 100)))).isEmpty();
    }

    @Test
    void refusesWhatItCannotFix() {
        assertThatThrownBy(() -> IpRouteVlanNetwork.plan(TRUNK, links())).hasMessage("trunk interface eth2 does not exist");
        assertThatThrownBy(() -> IpRouteVlanNetwork.plan(TRUNK, links(link("eth2", "", true, null, null), link("eth2.100", "vlan", true, null, 200))))
                .hasMessage("eth2.100 exists but is not a vlan link with id 100");
        assertThatThrownBy(() -> IpRouteVlanNetwork.plan(BRIDGE_ONLY, links(link("br-vlan100", "veth", true, null, null))))
                .hasMessage("br-vlan100 exists but is a veth, not a bridge");
    }

    @Test
    void parsesIpJsonAndAppliesThroughTheRunner() {
        String json = "[{\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\"]},"
                + "{\"ifname\":\"br-vlan100\",\"flags\":[\"BROADCAST\"],\"linkinfo\":{\"info_kind\":\"bridge\"}},"
                + "{\"ifname\":\"eth2.100\",\"link\":\"eth2\",\"flags\":[\"UP\"],\"master\":\"br-vlan100\",\"linkinfo\":{\"info_kind\":\"vlan\",\"info_data\":{\"protocol\":\"802.1Q\",\"id\":100}}},"
                + "{\"ifname\":\"vnet0\",\"flags\":[\"UP\"],\"master\":\"br-vlan100\",\"linkinfo\":{\"info_kind\":\"tun\"}}]";
        Map<String, Link> parsed = IpRouteVlanNetwork.parseLinks(json);
        assertThat(parsed.get("eth2.100")).isEqualTo(new Link("eth2.100", "vlan", true, Optional.of("br-vlan100"), Optional.of(100), Optional.of("eth2")));
        assertThat(parsed.get("br-vlan100").up()).isFalse();

        List<List<String>> ran = new ArrayList<>();
        IpRouteVlanNetwork net = new IpRouteVlanNetwork(spec -> {
            List<String> cmd = spec.argv();
            ran.add(cmd);
            return new CommandResult(cmd, 0, cmd.contains("-j") ? json : "", "");
        });
        assertThat(net.foreignPorts(TRUNK)).containsExactly("vnet0");
        assertThat(net.ensure(BRIDGE_ONLY, true)).containsExactly("ip link set dev br-vlan100 up");
        assertThat(ran).as("the listing is reused within a pass").hasSize(1);
        net.ensure(BRIDGE_ONLY, false);
        assertThat(ran.get(ran.size() - 1)).isEqualTo(List.of("ip", "link", "set", "dev", "br-vlan100", "up"));
        assertThat(net.remove(TRUNK, true)).containsExactly("ip link delete dev eth2.100", "ip link delete dev br-vlan100");
    }
}
