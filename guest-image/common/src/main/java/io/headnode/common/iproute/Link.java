package io.headnode.common.iproute;

import java.util.Objects;
import java.util.Optional;

/**
 * One network interface as {@code ip -details -json link show} reports it.
 *
 * @param name   the interface name ({@code ifname})
 * @param kind   {@code linkinfo.info_kind} ("bridge", "vlan", "veth", "tun", ...); empty for a plain device
 * @param up     administratively up (the {@code UP} flag), whatever the carrier
 * @param master the bridge this interface is a port of
 * @param vlanId the 802.1Q id of a vlan link
 * @param parent the link a vlan link (or veth peer) sits on ({@code link})
 * @param mac    the link-layer address, lower-case colon form
 */
public record Link(String name, String kind, boolean up, Optional<String> master, Optional<Integer> vlanId, Optional<String> parent,
                   Optional<String> mac) {
    public Link {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(master, "master is null");
        Objects.requireNonNull(vlanId, "vlanId is null");
        Objects.requireNonNull(parent, "parent is null");
        Objects.requireNonNull(mac, "mac is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("link name is empty");
        }
    }

    /** A link with only a name, kind and state (no master, vlan id, parent or MAC): for building expected states. */
    public static Link of(String name, String kind, boolean up) {
        return new Link(name, kind, up, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean isBridge() {
        return kind.equals("bridge");
    }

    public Link withMaster(String bridge) {
        return new Link(name, kind, up, Optional.of(bridge), vlanId, parent, mac);
    }

    public Link withUp(boolean isUp) {
        return new Link(name, kind, isUp, master, vlanId, parent, mac);
    }
}
