package io.headnode.contract;

import java.util.Objects;

/** One bare-metal node of a VLAN: the MAC of its NIC on the VLAN and where its BMC answers. */
public record Machine(MacAddress mac, BmcAddress bmc) {
    public Machine {
        Objects.requireNonNull(mac, "mac is null");
        Objects.requireNonNull(bmc, "bmc is null");
    }
}
