package io.headnode.agent.install;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The install state, an immutable value: every request id ever run (so a request runs exactly once, also across
 * restarts) and each node's install record by MAC. Persisted as installs.json by {@link InstallStore}.
 */
public record InstallBook(@JsonProperty("done-requests") Set<String> doneRequests, @JsonProperty("nodes") Map<String, NodeInstall> nodes) {
    public static final InstallBook EMPTY = new InstallBook(Set.of(), Map.of());

    public InstallBook {
        SortedSet<String> done = new TreeSet<>(doneRequests == null ? Set.of() : doneRequests);
        SortedMap<String, NodeInstall> n = new TreeMap<>();
        if (nodes != null) {
            nodes.forEach((mac, node) -> {
                Objects.requireNonNull(node, "node is null");
                if (!mac.equals(node.mac())) {
                    throw new IllegalArgumentException("node " + node.mac() + " is filed under " + mac);
                }
                n.put(mac, node);
            });
        }
        doneRequests = Collections.unmodifiableSortedSet(done);
        nodes = Collections.unmodifiableSortedMap(n);
    }

    public boolean ran(String requestId) {
        return doneRequests.contains(requestId);
    }

    public NodeInstall node(String mac) {
        return nodes.get(mac);
    }

    /** This book with {@code node} filed under its MAC (replacing any earlier record). */
    public InstallBook with(NodeInstall node) {
        Map<String, NodeInstall> n = new TreeMap<>(nodes);
        n.put(node.mac(), node);
        return new InstallBook(doneRequests, n);
    }

    /** This book with {@code requestId} recorded as run. */
    public InstallBook withDone(String requestId) {
        Set<String> d = new TreeSet<>(doneRequests);
        d.add(requestId);
        return new InstallBook(d, nodes);
    }
}
