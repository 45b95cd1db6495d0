package io.headnode.orchestrator.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.iproute.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The iproute2 adapter: ip -json listings (reused within a pass, dropped after our own change) and change commands. */
class IpRouteVlanNetworkTest {
    static final String JSON = "[{\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\"]},"
            + "{\"ifname\":\"br-vlan100\",\"flags\":[\"BROADCAST\"],\"address\":\"7e:e5:8d:cb:36:69\",\"linkinfo\":{\"info_kind\":\"bridge\"}},"
            + "{\"ifname\":\"eth2.100\",\"link\":\"eth2\",\"flags\":[\"UP\"],\"master\":\"br-vlan100\","
            + "\"linkinfo\":{\"info_kind\":\"vlan\",\"info_data\":{\"protocol\":\"802.1Q\",\"id\":100}}}]";

    @Test
    void listsWithIpJsonOncePerPassAndChangesWithArgumentArrays() {
        List<List<String>> ran = new ArrayList<>();
        IpRouteVlanNetwork net = new IpRouteVlanNetwork(spec -> {
            List<String> cmd = spec.argv();
            ran.add(cmd);
            return new CommandResult(cmd, 0, cmd.contains("-json") ? JSON : "", "");
        });
        assertThat(net.links().get("eth2.100")).isEqualTo(new Link("eth2.100", "vlan", true, Optional.of("br-vlan100"), Optional.of(100),
                Optional.of("eth2"), Optional.empty()));
        assertThat(net.links().get("br-vlan100").up()).isFalse();
        assertThat(ran).as("the listing is reused within a pass").containsExactly(List.of("ip", "-details", "-json", "link", "show"));
        net.setUp("br-vlan100");
        net.links();
        net.addBridge("br-vlan7");
        net.addVlanLink("eth2", "eth2.7", 7);
        net.setMaster("eth2.7", "br-vlan7");
        net.delete("eth2.7");
        assertThat(ran.subList(1, ran.size())).containsExactly(
                List.of("ip", "link", "set", "dev", "br-vlan100", "up"),
                List.of("ip", "-details", "-json", "link", "show"),
                List.of("ip", "link", "add", "name", "br-vlan7", "type", "bridge"),
                List.of("ip", "link", "add", "link", "eth2", "name", "eth2.7", "type", "vlan", "id", "7"),
                List.of("ip", "link", "set", "dev", "eth2.7", "master", "br-vlan7"),
                List.of("ip", "link", "delete", "dev", "eth2.7"));
        net.links();
        assertThat(ran.get(ran.size() - 1)).as("a change drops the listing").isEqualTo(List.of("ip", "-details", "-json", "link", "show"));
    }
}
