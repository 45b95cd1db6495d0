package io.headnode.common.iproute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The argument arrays IpRoute runs (the recorded runner answers reads with recorded JSON). */
class IpRouteTest {
    final List<List<String>> ran = new ArrayList<>();
    int exitCode;

    IpRoute ip(String binary) {
        return new IpRoute(spec -> {
            List<String> cmd = spec.argv();
            ran.add(cmd);
            try {
                String out = cmd.contains("link") && cmd.contains("show") ? IpJsonTest.recorded("link-show.json")
                        : cmd.contains("addr") && cmd.contains("show") ? IpJsonTest.recorded("addr-show.json")
                        : cmd.contains("neigh") ? IpJsonTest.recorded("neigh-show.json") : "";
                return new CommandResult(cmd, exitCode, out, exitCode == 0 ? "" : "RTNETLINK answers: Operation not permitted\n");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }, binary);
    }

    @Test
    void readsWithJsonAndChangesWithArgumentArrays() {
        IpRoute ip = ip("/usr/sbin/ip");
        assertThat(ip.links()).containsKey("br-vlan100");
        assertThat(ip.addresses().get("veth0").globalIpv4()).hasSize(3);
        assertThat(ip.neighbours("eth0")).hasSize(6);
        ip.addBridge("br-vlan7");
        ip.addVlanLink("eth2", "eth2.7", 7);
        ip.setMaster("eth2.7", "br-vlan7");
        ip.setUp("eth2.7");
        ip.delete("eth2.7");
        ip.addAddress("eth0", "10.1.0.254/16", Optional.of("eth0:1"));
        ip.addAddress("eth0", "10.0.5.1/24", Optional.empty());
        ip.deleteAddress("eth0", "192.168.9.9/24");
        assertThat(ran).containsExactly(
                List.of("/usr/sbin/ip", "-details", "-json", "link", "show"),
                List.of("/usr/sbin/ip", "-json", "addr", "show"),
                List.of("/usr/sbin/ip", "-json", "neigh", "show", "dev", "eth0"),
                List.of("/usr/sbin/ip", "link", "add", "name", "br-vlan7", "type", "bridge"),
                List.of("/usr/sbin/ip", "link", "add", "link", "eth2", "name", "eth2.7", "type", "vlan", "id", "7"),
                List.of("/usr/sbin/ip", "link", "set", "dev", "eth2.7", "master", "br-vlan7"),
                List.of("/usr/sbin/ip", "link", "set", "dev", "eth2.7", "up"),
                List.of("/usr/sbin/ip", "link", "delete", "dev", "eth2.7"),
                List.of("/usr/sbin/ip", "addr", "add", "10.1.0.254/16", "dev", "eth0", "label", "eth0:1"),
                List.of("/usr/sbin/ip", "addr", "add", "10.0.5.1/24", "dev", "eth0"),
                List.of("/usr/sbin/ip", "addr", "del", "192.168.9.9/24", "dev", "eth0"));
    }

    @Test
    void aRefusedChangeNamesTheCommandAndTheComplaint() {
        exitCode = 2;
        assertThatThrownBy(() -> ip("ip").addBridge("br-x")).isInstanceOf(CommandException.class)
                .hasMessage("ip link add name br-x type bridge exited 2: RTNETLINK answers: Operation not permitted");
        assertThatThrownBy(() -> ip("ip").links()).isInstanceOf(CommandException.class).hasMessageStartingWith("ip -details -json link show exited 2");
    }
}
