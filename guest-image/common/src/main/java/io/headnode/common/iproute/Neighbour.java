package io.headnode.common.iproute;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the kernel's neighbour table (ARP for IPv4, NDP for IPv6) as {@code ip -json neigh show} reports it.
 *
 * @param address the neighbour's IP address ({@code dst})
 * @param mac     its link-layer address, lower-case colon form; empty while unresolved (INCOMPLETE, FAILED)
 * @param states  the NUD states, e.g. [REACHABLE], [STALE], [PERMANENT]
 */
public record Neighbour(String address, Optional<String> mac, List<String> states) {
    public Neighbour {
        Objects.requireNonNull(address, "address is null");
        Objects.requireNonNull(mac, "mac is null");
        states = List.copyOf(states);
        mac = mac.map(m -> m.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The MAC the kernel currently sends to for this address: present, and the entry neither unresolved
     * (INCOMPLETE) nor given up on (FAILED). STALE, DELAY and PROBE still name the MAC last confirmed.
     */
    public Optional<String> resolvedMac() {
        return states.contains("FAILED") || states.contains("INCOMPLETE") ? Optional.empty() : mac;
    }
}
