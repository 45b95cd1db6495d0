package io.headnode.orchestrator.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a VLAN's head node runs, as the leader wrote it. The epoch grows with every move: a host starts a head node
 * only for the placement it has just read, so a stale host that comes back does not start an old one.
 */
public record Placement(HostId host, long epoch) {
    public Placement {
        Objects.requireNonNull(host, "host is null");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch " + epoch + " is below 1");
        }
    }

    /** {@code <host> <epoch>}: the node's data. */
    public byte[] encode() {
        return (host + " " + epoch + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static Placement decode(String path, byte[] data) {
        String[] words = new String(data, StandardCharsets.US_ASCII).strip().split(" ");
        if (words.length != 2) {
            throw new IllegalArgumentException(path + ": placement '" + new String(data, StandardCharsets.US_ASCII).strip() + "' is not '<host> <epoch>'");
        }
        try {
            return new Placement(new HostId(words[0]), Long.parseLong(words[1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }
}
