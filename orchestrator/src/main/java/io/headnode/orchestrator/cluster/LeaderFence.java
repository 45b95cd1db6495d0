package io.headnode.orchestrator.cluster;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A leader's right to write placements. {@code node} is its election node: every placement transaction checks that
 * the node still exists, so ZooKeeper itself refuses the writes of a leader that was deposed before it heard so (its
 * node gone while its latch still says it leads). {@code leading} is the member's own view, asked before each
 * transaction: a cheap early stop.
 */
public record LeaderFence(String node, BooleanSupplier leading) {
    public LeaderFence {
        Objects.requireNonNull(node, "node is null");
        Objects.requireNonNull(leading, "leading is null");
        if (!node.startsWith("/") || node.endsWith("/")) {
            throw new IllegalArgumentException("election node '" + node + "' is not a ZooKeeper path");
        }
    }
}
