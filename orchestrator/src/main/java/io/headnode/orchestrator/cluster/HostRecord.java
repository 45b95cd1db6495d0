package io.headnode.orchestrator.cluster;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import io.headnode.contract.ImageName;
import io.headnode.contract.Vlan;

/**
 * What a host registers in its ephemeral node: its capacity (for the {@link Placer}), the bridges it can serve VLANs
 * on, how many head nodes are placed on it, and which of them run here now with the placement epoch the host
 * confirmed ({@code headnodes = <vlan>@<epoch> ...}: the leader's drain and {@code headnode list} read it). Encoded
 * as {@code key = value} lines.
 */
public record HostRecord(HostCapacity capacity, List<String> bridges, int running, Map<Vlan, Long> headnodes,
                         Map<ImageName, String> imagesMissing) {
    private static final Set<String> KEYS = Set.of("free-memory-mib", "headnode-limit", "draining", "bridges", "running", "headnodes",
            "images-missing");
    private static final java.util.regex.Pattern REASON = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public HostRecord {
        Objects.requireNonNull(capacity, "capacity is null");
        bridges = List.copyOf(bridges);
        if (running < 0) {
            throw new IllegalArgumentException("running " + running + " is negative");
        }
        headnodes = java.util.Collections.unmodifiableMap(new TreeMap<>(headnodes));
        headnodes.values().forEach(e -> {
            if (e < 1) {
                throw new IllegalArgumentException("headnodes: epoch " + e + " is below 1");
            }
        });
        imagesMissing = java.util.Collections.unmodifiableMap(new TreeMap<>(imagesMissing));
        imagesMissing.values().forEach(r -> {
            if (!REASON.matcher(r).matches()) {
                throw new IllegalArgumentException("images-missing: reason '" + r + "' is not a word like no-source");
            }
        });
    }

    public HostRecord(HostCapacity capacity, List<String> bridges, int running, Map<Vlan, Long> headnodes) {
        this(capacity, bridges, running, headnodes, Map.of());
    }

    public HostRecord(HostCapacity capacity, List<String> bridges, int running) {
        this(capacity, bridges, running, Map.of());
    }

    /** True when this host reports the VLAN's head node running for exactly this placement. */
    public boolean runs(Vlan vlan, Placement placement) {
        return placement.host().equals(host()) && Long.valueOf(placement.epoch()).equals(headnodes.get(vlan));
    }

    public HostId host() {
        return capacity.host();
    }

    public byte[] encode() {
        return ("free-memory-mib = " + capacity.freeMemoryMib() + "\n"
                + "headnode-limit = " + capacity.headnodeLimit() + "\n"
                + "draining = " + capacity.draining() + "\n"
                + "bridges = " + String.join(" ", bridges) + "\n"
                + "running = " + running + "\n"
                + "headnodes = " + String.join(" ", headnodes.entrySet().stream().map(e -> e.getKey().id() + "@" + e.getValue()).toList())
                + "\n"
                + (imagesMissing.isEmpty() ? "" : "images-missing = "
                        + String.join(" ", imagesMissing.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList()) + "\n"))
                .getBytes(StandardCharsets.UTF_8);
    }

    public static HostRecord decode(HostId host, String path, byte[] data) throws KvException {
        KvFile f = KvFile.parse(path, data, 64 * 1024);
        f.requireKnown(KEYS);
        long free = f.get("free-memory-mib", KvValues::longNumber, 0L);
        int limit = f.get("headnode-limit", KvValues::wholeNumber, 0);
        boolean draining = f.get("draining", KvValues::bool, false);
        List<String> bridges = f.get("bridges", KvValues::words, List.of());
        int running = f.get("running", KvValues::wholeNumber, 0);
        Map<Vlan, Long> headnodes = f.get("headnodes", HostRecord::headnodes, Map.of());
        Map<ImageName, String> missing = f.get("images-missing", HostRecord::imagesMissing, Map.of());
        return f.build(() -> new HostRecord(new HostCapacity(host, free, limit, draining), bridges, running, headnodes, missing));
    }

    private static Map<ImageName, String> imagesMissing(String value) {
        Map<ImageName, String> out = new TreeMap<>();
        for (String w : value.strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            int colon = w.indexOf(':');
            if (colon < 0 || !REASON.matcher(w.substring(colon + 1)).matches()) {
                throw new IllegalArgumentException("'" + w + "' is not <image>:<reason>");
            }
            out.put(ImageName.parse(w.substring(0, colon)), w.substring(colon + 1));
        }
        return out;
    }

    private static Map<Vlan, Long> headnodes(String value) {
        Map<Vlan, Long> out = new TreeMap<>();
        for (String w : value.strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            String[] ve = w.split("@", -1);
            if (ve.length != 2) {
                throw new IllegalArgumentException("'" + w + "' is not <vlan>@<epoch>");
            }
            try {
                out.put(new Vlan(Integer.parseInt(ve[0])), Long.parseLong(ve[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + w + "' is not <vlan>@<epoch>");
            }
        }
        return out;
    }
}
