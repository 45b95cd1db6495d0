package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The name of an image in the host's catalog ({@link ImageCatalog}): 1-64 of {@code [a-z0-9._-]}, starting with a
 * letter or digit, so it is a file name and a URL path segment as it is (no {@code /}, no {@code ..} start, no case
 * games). It may not end in a suffix the catalog itself uses ({@code .image}, {@code .raw}, {@code .gz}, {@code .zst},
 * {@code .tmp}), so {@code NAME.raw.gz} can only mean the gzip stream of {@code NAME}.
 */
public record ImageName(String value) implements Comparable<ImageName> {
    public static final String FIELD = "image";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final List<String> RESERVED_SUFFIXES = List.of(".image", ".raw", ".gz", ".zst", ".tmp");

    public ImageName {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new FieldException(FIELD, "'" + (value == null ? "" : MacAddress.printable(value))
                    + "' is not an image name (1-64 of [a-z0-9._-], starting with a letter or digit)");
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (value.endsWith(suffix)) {
                throw new FieldException(FIELD, "'" + value + "' ends in '" + suffix + "', which the image catalog reserves");
            }
        }
    }

    public static ImageName parse(String value) {
        return new ImageName(value);
    }

    @Override
    public int compareTo(ImageName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
