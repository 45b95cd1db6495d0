package io.headnode.orchestrator.net;

import io.headnode.common.iproute.Link;
import java.util.Map;

/**
 * The host's L2 links, read whole and changed one operation at a time. The network steps compare {@link #links()}
 * with a VLAN's {@link VlanNetworkSpec} and return actions that call the changes. Implemented with iproute2
 * ({@link IpRouteVlanNetwork}); tests use an in-memory one.
 */
public interface VlanNetwork {
    /** Every link, by name, as it is now. */
    Map<String, Link> links();

    void addBridge(String bridge);

    /** An 802.1Q link {@code link} on {@code trunk} carrying VLAN {@code vlanId}. */
    void addVlanLink(String trunk, String link, int vlanId);

    /** Makes {@code link} a port of {@code bridge}. */
    void setMaster(String link, String bridge);

    void setUp(String link);

    void delete(String link);
}
