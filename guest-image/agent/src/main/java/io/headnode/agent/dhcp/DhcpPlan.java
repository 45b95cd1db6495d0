package io.headnode.agent.dhcp;

import io.headnode.contract.Ipv4Cidr;
import java.util.List;
import java.util.Objects;

/** What the DHCP server must answer on the private interface: the subnet, the boot server and the listed hosts. */
public record DhcpPlan(String iface, Ipv4Cidr server, String bootFile, List<DhcpHost> hosts) {
    public DhcpPlan {
        Objects.requireNonNull(iface, "iface is null");
        Objects.requireNonNull(server, "server is null");
        Objects.requireNonNull(bootFile, "bootFile is null");
        hosts = List.copyOf(hosts);
    }
}
