package io.headnode.agent.install;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an image install writes, pinned when the request runs: the catalog image's name, the sha256 and size of its raw
 * bytes (from its catalog entry; a later change of the image makes the deploy ramdisk's check fail, never a silent mix)
 * and the target disk (null: the node's first disk).
 */
public record ImageDeploy(String name, String sha256, long size, String disk) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ImageDeploy {
        Objects.requireNonNull(name, "name is null");
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("image " + name + ": sha256 must be 64 lower-case hex digits");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("image " + name + ": size must be positive");
        }
    }
}
