package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What this member last wrote into the local desired state for each VLAN (the spec's and share files' bytes), so a
 * pass that an event elsewhere in the fleet asked for does not parse, read back and compare every placed VLAN's
 * local files when nothing of that VLAN changed. The member's periodic pass forgets it all ({@link #clear}) and so
 * applies everything again, which repairs local files changed behind the member's back. Member thread only.
 */
final class AppliedVlans {
    private record Applied(byte[] spec, Map<String, byte[]> files) {
        boolean same(byte[] otherSpec, Map<String, byte[]> otherFiles) {
            if (!Arrays.equals(spec, otherSpec) || !files.keySet().equals(otherFiles.keySet())) {
                return false;
            }
            return files.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), otherFiles.get(e.getKey())));
        }
    }

    private final Map<Vlan, Applied> applied = new HashMap<>();

    /** True when {@code spec} and {@code files} are exactly what was last applied for {@code vlan}. */
    boolean unchanged(Vlan vlan, byte[] spec, Map<String, byte[]> files) {
        Applied a = applied.get(vlan);
        return a != null && a.same(spec, files);
    }

    /** The VLAN's local desired state now holds these bytes (after a successful apply). */
    void record(Vlan vlan, byte[] spec, Map<String, byte[]> files) {
        Map<String, byte[]> copy = new TreeMap<>();
        files.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        applied.put(vlan, new Applied(spec.clone(), copy));
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
