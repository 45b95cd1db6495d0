package io.headnode.agent.install;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Iterator;
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
        // copied from a sorted source (every book made from another) in linear time, no key compared: a storm makes
        // thousands of books of a thousand nodes each (profiled: the per-entry put was half the agent's CPU)
        SortedSet<String> done = new TreeSet<>(doneRequests == null ? Set.of() : doneRequests);
        SortedMap<String, NodeInstall> n = new TreeMap<>(nodes == null ? Map.of() : nodes);
        n.forEach((mac, node) -> {
            Objects.requireNonNull(node, "node is null");
            if (!mac.equals(node.mac())) {
                throw new IllegalArgumentException("node " + node.mac() + " is filed under " + mac);
            }
        });
        doneRequests = Collections.unmodifiableSortedSet(done);
        nodes = Collections.unmodifiableSortedMap(n);
    }

    /**
     * Equal books: the same request ids and node records. The maps are walked side by side (both sorted by MAC), and a
     * record shared by both books (every one a transition did not touch) is equal without a look inside.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof InstallBook b && sameInOrder(nodes.entrySet(), b.nodes.entrySet())
                && (doneRequests == b.doneRequests || doneRequests.equals(b.doneRequests));
    }

    @Override
    public int hashCode() {
        return Objects.hash(doneRequests, nodes);
    }

    private static boolean sameInOrder(Set<Map.Entry<String, NodeInstall>> a, Set<Map.Entry<String, NodeInstall>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<Map.Entry<String, NodeInstall>> i = b.iterator();
        for (Map.Entry<String, NodeInstall> x : a) {
            Map.Entry<String, NodeInstall> y = i.next();
            if (!x.getKey().equals(y.getKey()) || (x.getValue() != y.getValue() && !x.getValue().equals(y.getValue()))) {
                return false;
            }
        }
        return true;
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
