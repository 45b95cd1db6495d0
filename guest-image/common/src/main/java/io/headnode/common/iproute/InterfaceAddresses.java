package io.headnode.common.iproute;

import java.util.List;
import java.util.Objects;

/** One interface's state and addresses, as one element of {@code ip -json addr show}. */
public record InterfaceAddresses(String name, boolean up, List<Address> addresses) {
    public InterfaceAddresses {
        Objects.requireNonNull(name, "name is null");
        addresses = List.copyOf(addresses);
    }

    /** The global-scope IPv4 addresses in CIDR form, in the kernel's order. */
    public List<String> globalIpv4() {
        return addresses.stream().filter(a -> a.isIpv4() && a.isGlobal()).map(Address::cidr).toList();
    }
}
