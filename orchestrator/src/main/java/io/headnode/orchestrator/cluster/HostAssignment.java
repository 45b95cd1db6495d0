package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The head nodes placed on one host, with their epochs: the data of {@code /assigned/<host>}, which the leader writes
 * in the same transaction as the placements it summarizes. A host watches this one node instead of every placement
 * in the fleet (so a leader's transaction of 500 placements costs each host at most one read, not 500), and still
 * confirms each placement's epoch with ZooKeeper before it starts anything ({@link PlacementConfirmations}).
 */
public record HostAssignment(SortedMap<Vlan, Long> epochs) {
    /** Far below ZooKeeper's 1 MiB node limit: every VLAN on one host is about 45 KiB. */
    static final int MAX_BYTES = 256 * 1024;

    public HostAssignment {
        Objects.requireNonNull(epochs, "epochs is null");
        epochs.forEach((v, e) -> {
            if (e == null || e < 1) {
                throw new IllegalArgumentException("VLAN " + v + ": epoch " + e + " is below 1");
            }
        });
        epochs = Collections.unmodifiableSortedMap(new TreeMap<>(epochs));
    }

    public static final HostAssignment EMPTY = new HostAssignment(new TreeMap<>());

    /** As placements on {@code host}. */
    public Map<Vlan, Placement> placements(HostId host) {
        Map<Vlan, Placement> out = new TreeMap<>();
        epochs.forEach((v, e) -> out.put(v, new Placement(host, e)));
        return out;
    }

    /** One {@code <vlan> <epoch>} line per head node, by VLAN. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(epochs.size() * 12);
        epochs.forEach((v, e) -> sb.append(v.id()).append(' ').append(e).append('\n'));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Decodes {@link #encode}'s form; {@code path} names the node in the error. Empty data is no head node. */
    public static HostAssignment decode(String path, byte[] data) {
        if (data.length > MAX_BYTES) {
            throw new IllegalArgumentException(path + ": " + data.length + " bytes, more than " + MAX_BYTES);
        }
        SortedMap<Vlan, Long> out = new TreeMap<>();
        String[] lines = new String(data, StandardCharsets.US_ASCII).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split(" ");
            try {
                if (words.length != 2) {
                    throw new IllegalArgumentException("'" + line + "' is not '<vlan> <epoch>'");
                }
                Vlan v = new Vlan(Integer.parseInt(words[0]));
                long epoch = Long.parseLong(words[1]);
                if (out.put(v, epoch) != null) {
                    throw new IllegalArgumentException("VLAN " + v + " is listed twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new HostAssignment(out);
    }
}
