package io.headnode.contract;

import java.util.Objects;

/**
 * A compressed copy of an image that the host stored beside the raw file ({@code NAME.raw.gz}, {@code NAME.raw.zst}):
 * its size and sha256 are of the compressed bytes. What a node writes is always checked against the raw image's sha256.
 */
public record ImageVariant(ImageCompression compression, long size, Sha256 sha256) {
    public ImageVariant {
        Objects.requireNonNull(compression, "compression is null");
        Objects.requireNonNull(sha256, "sha256 is null");
        if (size < 1) {
            throw new IllegalArgumentException("size " + size + " must be at least 1");
        }
    }
}
