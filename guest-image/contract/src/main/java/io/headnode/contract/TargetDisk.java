package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import java.util.regex.Pattern;

/**
 * The disk an image install writes to, when not the node's first disk: a device path under {@code /dev}, e.g.
 * {@code /dev/sda}, {@code /dev/nvme0n1}, {@code /dev/disk/by-id/wwn-0x5000c500a1b2c3d4}. Every path segment starts
 * with a letter or digit (no {@code .} or {@code ..}), at most 128 characters.
 */
public record TargetDisk(String path) {
    public static final String FIELD = "target-disk";
    private static final Pattern PATH = Pattern.compile("/dev(/[A-Za-z0-9][A-Za-z0-9._:+@-]*)+");

    public TargetDisk {
        if (path == null || path.length() > 128 || !PATH.matcher(path).matches()) {
            throw new FieldException(FIELD, "'" + (path == null ? "" : MacAddress.printable(path))
                    + "' is not a disk device path (/dev/..., segments of [A-Za-z0-9._:+@-] starting with a letter or digit, at most 128 characters)");
        }
    }

    public static TargetDisk parse(String path) {
        return new TargetDisk(path);
    }

    @Override
    public String toString() {
        return path;
    }
}
