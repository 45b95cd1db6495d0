package io.headnode.orchestrator;

import io.headnode.orchestrator.net.VlanNetwork;
import io.headnode.orchestrator.net.VlanNetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory VlanNetwork for tests on test:///default (no kernel bridges there). */
public final class FakeVlanNetwork implements VlanNetwork {
    public final Map<String, List<String>> bridges = new ConcurrentHashMap<>();
    /** Bridges the host has anyway (the public one). */
    public final java.util.Set<String> hostBridges = java.util.Set.of("br0");

    @Override
    public List<String> ensure(VlanNetworkSpec spec, boolean dryRun) {
        if (bridges.containsKey(spec.bridge())) {
            return List.of();
        }
        if (!dryRun) {
            bridges.put(spec.bridge(), new ArrayList<>());
        }
        return List.of("add bridge " + spec.bridge());
    }

    @Override
    public List<String> foreignPorts(VlanNetworkSpec spec) {
        return bridges.getOrDefault(spec.bridge(), List.of());
    }

    @Override
    public List<String> remove(VlanNetworkSpec spec, boolean dryRun) {
        if (!bridges.containsKey(spec.bridge())) {
            return List.of();
        }
        if (!dryRun) {
            bridges.remove(spec.bridge());
        }
        return List.of("delete bridge " + spec.bridge());
    }

    @Override
    public boolean bridgeExists(String bridge) {
        return bridges.containsKey(bridge) || hostBridges.contains(bridge);
    }
}
