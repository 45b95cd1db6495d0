package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which version of each VLAN's fleet data ({@link VlanCaches#version}) this member last wrote into the local desired
 * state, so a pass that an event elsewhere in the fleet asked for skips a VLAN whose spec and share did not change
 * without building, reading back or comparing anything of it. The member's periodic pass forgets it all
 * ({@link #clear}) and so applies everything again, which repairs local files changed behind the member's back.
 * Member thread only.
 */
final class AppliedVlans {
    private final Map<Vlan, Long> applied = new HashMap<>();

    /** True when the VLAN's data at {@code version} is what was last applied. */
    boolean unchanged(Vlan vlan, long version) {
        Long a = applied.get(vlan);
        return a != null && a == version;
    }

    /** The VLAN's local desired state now holds its data at {@code version} (after a successful apply). */
    void record(Vlan vlan, long version) {
        applied.put(vlan, version);
    }

    /** Forgets the VLANs not in {@code placed} (removed here, or never applied). */
    void retain(Set<Vlan> placed) {
        applied.keySet().retainAll(placed);
    }

    /** The next pass applies every VLAN again. */
    void clear() {
        applied.clear();
    }
}
