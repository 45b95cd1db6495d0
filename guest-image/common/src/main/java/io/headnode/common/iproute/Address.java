package io.headnode.common.iproute;

import java.util.Objects;
import java.util.Optional;

/**
 * One address as {@code ip -json addr show} reports it (an element of {@code addr_info}).
 *
 * @param family       "inet" or "inet6"
 * @param local        the address itself, e.g. 10.0.5.1
 * @param prefixLength the prefix length, e.g. 24
 * @param scope        "global", "link", "host"
 * @param label        the IPv4 label (e.g. eth0:1); empty for IPv6
 */
public record Address(String family, String local, int prefixLength, String scope, Optional<String> label) {
    public Address {
        Objects.requireNonNull(family, "family is null");
        Objects.requireNonNull(local, "local is null");
        Objects.requireNonNull(scope, "scope is null");
        Objects.requireNonNull(label, "label is null");
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..128");
        }
    }

    /** The address in CIDR form, a.b.c.d/p. */
    public String cidr() {
        return local + "/" + prefixLength;
    }

    public boolean isIpv4() {
        return family.equals("inet");
    }

    public boolean isGlobal() {
        return scope.equals("global");
    }
}
