package io.headnode.common.iproute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.exec.CommandException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** iproute2's JSON, recorded from iproute2 6.1 (see src/test/resources/iproute/README.md). */
class IpJsonTest {
    static String recorded(String name) throws IOException {
        try (InputStream in = IpJsonTest.class.getResourceAsStream("/iproute/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void linksGiveKindStateMasterAndMac() throws Exception {
        Map<String, Link> links = IpJson.links(recorded("link-show.json"));
        assertThat(links.keySet()).containsExactly("lo", "br-vlan100", "veth1", "veth0", "vnet0", "br-down");
        assertThat(links.get("br-vlan100")).isEqualTo(new Link("br-vlan100", "bridge", true, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("7e:e5:8d:cb:36:69")));
        assertThat(links.get("br-vlan100").isBridge()).isTrue();
        assertThat(links.get("br-down").up()).as("no UP flag").isFalse();
        assertThat(links.get("vnet0").kind()).isEqualTo("tun");
        assertThat(links.get("vnet0").master()).contains("br-vlan100");
        assertThat(links.get("vnet0").mac()).contains("fe:48:4e:00:00:64");
        assertThat(links.get("veth1").parent()).contains("veth0");
        assertThat(links.get("veth1").up()).isFalse();
        assertThat(links.get("lo").kind()).isEmpty();
    }

    @Test
    void aVlanLinkHasItsIdAndTrunk() throws Exception {
        Link v = IpJson.links(recorded("vlan-link.json")).get("eth2.100");
        assertThat(v).isEqualTo(new Link("eth2.100", "vlan", true, Optional.of("br-vlan100"), Optional.of(100), Optional.of("eth2"),
                Optional.of("52:54:00:12:34:56")));
    }

    @Test
    void addressesGiveFamilyScopeAndLabel() throws Exception {
        Map<String, InterfaceAddresses> all = IpJson.addresses(recorded("addr-show.json"));
        InterfaceAddresses veth0 = all.get("veth0");
        assertThat(veth0.up()).isTrue();
        assertThat(veth0.globalIpv4()).containsExactly("10.0.5.1/24", "10.1.0.254/16", "192.168.9.9/24");
        assertThat(veth0.addresses()).contains(new Address("inet", "10.1.0.254", 16, "global", Optional.of("veth0:1")),
                new Address("inet6", "fd00::1", 64, "global", Optional.empty()));
        assertThat(all.get("lo").globalIpv4()).as("127.0.0.1 is host scope").isEmpty();
        assertThat(all.get("lo").addresses()).extracting(Address::cidr).contains("127.0.0.1/8");
        assertThat(all.get("br-down").addresses()).isEmpty();
    }

    @Test
    void neighboursGiveTheResolvedMacOnlyForUsableEntries() throws Exception {
        java.util.List<Neighbour> all = IpJson.neighbours(recorded("neigh-show.json"));
        assertThat(all).extracting(Neighbour::address).containsExactly("10.9.0.9", "10.9.0.8", "10.9.0.2", "10.9.0.21", "10.9.0.20", "fd00::5");
        assertThat(all.get(2)).isEqualTo(new Neighbour("10.9.0.2", Optional.of("52:54:00:aa:00:02"), java.util.List.of("REACHABLE")));
        assertThat(all).extracting(Neighbour::resolvedMac).containsExactly(Optional.empty(), Optional.empty(), Optional.of("52:54:00:aa:00:02"),
                Optional.of("52:54:00:aa:00:21"), Optional.of("52:54:00:aa:00:20"), Optional.of("52:54:00:aa:00:05"));
        assertThat(new Neighbour("10.9.0.3", Optional.of("52:54:00:AA:00:03"), java.util.List.of("FAILED")).resolvedMac())
                .as("a FAILED entry that still carries an old MAC names none").isEmpty();
        assertThat(new Neighbour("10.9.0.3", Optional.of("52:54:00:AA:00:03"), java.util.List.of("STALE")).mac()).contains("52:54:00:aa:00:03");
        assertThat(IpJson.neighbours("[]")).isEmpty();
        assertThatThrownBy(() -> IpJson.neighbours("[{\"lladdr\":\"52:54:00:aa:00:02\"}]")).isInstanceOf(CommandException.class)
                .hasMessageContaining("an entry without dst");
        assertThatThrownBy(() -> IpJson.neighbours("")).hasMessage("ip -json neigh show printed nothing");
    }

    @Test
    void outputThatIsNotAnInterfaceArrayIsNamed() {
        assertThatThrownBy(() -> IpJson.links("3: eth0: <BROADCAST,UP> mtu 1500")).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("cannot parse the output of ip -json link show");
        assertThatThrownBy(() -> IpJson.links("")).hasMessage("ip -json link show printed nothing");
        assertThatThrownBy(() -> IpJson.addresses("{\"ifname\":\"eth0\"}")).hasMessage("ip -json addr show printed object, not an array");
        assertThatThrownBy(() -> IpJson.links("[{\"flags\":[\"UP\"]}]")).hasMessageContaining("an interface without ifname");
        assertThat(IpJson.links("[]")).isEmpty();
    }
}
