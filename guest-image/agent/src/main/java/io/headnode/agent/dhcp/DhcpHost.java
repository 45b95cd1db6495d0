package io.headnode.agent.dhcp;

import io.headnode.contract.MacAddress;
import java.util.Objects;

/** One listed node's DHCP reservation: its MAC and the fixed address it always gets. */
public record DhcpHost(MacAddress mac, String address) {
    public DhcpHost {
        Objects.requireNonNull(mac, "mac is null");
        Objects.requireNonNull(address, "address is null");
    }

    /** A host declaration name dhcpd accepts: node-aabbccddeeff. */
    public String name() {
        return "node-" + mac.value().replace(":", "");
    }
}
