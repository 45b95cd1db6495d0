package io.headnode.agent.install;

import java.util.Objects;
import java.util.regex.Pattern;

/** What an install request asks of the `image` profile: the catalog image's name and the target disk (null: the first disk). */
public record ImageChoice(String image, String disk) {
    /** A device path the deploy ramdisk can take as it is: /dev/ and a kernel block device name. */
    private static final Pattern DISK = Pattern.compile("/dev/[a-z][a-z0-9/_-]{0,63}");

    public ImageChoice {
        Objects.requireNonNull(image, "image is null");
        if (disk != null && !DISK.matcher(disk).matches()) {
            throw new IllegalArgumentException("target disk '" + disk + "' must be a /dev/ path");
        }
    }
}
