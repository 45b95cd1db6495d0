package io.headnode.agent.install;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A catalog image as the `image` profile needs it: its name, the sha256 and size of the raw bytes a node writes, and
 * the path under the agent's HTTP server that serves them ({@code /images/NAME}).
 */
public record ImageEntry(String name, String sha256, long size, String path) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ImageEntry {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(path, "path is null");
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("image " + name + ": sha256 must be 64 lower-case hex digits");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("image " + name + ": size must be positive");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("image " + name + ": path must start with /");
        }
    }
}
