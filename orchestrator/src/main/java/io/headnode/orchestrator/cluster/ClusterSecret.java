package io.headnode.orchestrator.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fleet's ZooKeeper digest credential: user {@value #USER} and a secret shared by every host and CLI. Read from a
 * one-line file that only its owner may read (0600 or 0400): a group- or world-readable secret file is refused.
 */
public record ClusterSecret(String secret) {
    public static final String USER = "headnode";
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{16,256}");

    public ClusterSecret {
        Objects.requireNonNull(secret, "secret is null");
        if (!SECRET.matcher(secret).matches()) {
            throw new IllegalArgumentException("the cluster secret must be 16-256 printable ASCII characters without spaces");
        }
    }

    /** {@code headnode:<secret>}: what the digest scheme authenticates with. */
    public byte[] auth() {
        return (USER + ":" + secret).getBytes(StandardCharsets.US_ASCII);
    }

    public static ClusterSecret read(Path file) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(file + ": the cluster secret must be readable by its owner only (chmod 600)");
        }
        if (Files.size(file) > 1024) {
            throw new IOException(file + ": larger than 1 KiB: not a cluster secret");
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return new ClusterSecret(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ":1: secret: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ClusterSecret[***]";
    }
}
