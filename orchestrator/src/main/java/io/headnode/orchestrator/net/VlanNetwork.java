package io.headnode.orchestrator.net;

import java.util.List;

/**
 * Makes and removes a VLAN's L2 plumbing. The iproute2 implementation uses a Linux bridge plus a
 * {@code <trunk>.N} vlan link; an Open vSwitch one would put a tagged port on an OVS bridge instead.
 */
public interface VlanNetwork {
    /** The changes needed to converge (descriptions); applies them unless {@code dryRun}. Empty = nothing to do. */
    List<String> ensure(VlanNetworkSpec spec, boolean dryRun);

    /** Ports on the bridge other than the VLAN link itself (taps of running domains, veths, ...). */
    List<String> foreignPorts(VlanNetworkSpec spec);

    /** Removes the vlan link and the bridge; returns what it removed (or would). */
    List<String> remove(VlanNetworkSpec spec, boolean dryRun);

    boolean bridgeExists(String bridge);
}
