package io.headnode.contract;

import java.util.Locale;

/** A compressed form of a raw image, stored beside it or streamed: its file and URL suffix after {@code NAME.raw}. */
public enum ImageCompression {
    GZIP("gz"),
    ZSTD("zst");

    private final String extension;

    ImageCompression(String extension) {
        this.extension = extension;
    }

    /** {@code gz} or {@code zst}: {@code NAME.raw.gz}. */
    public String extension() {
        return extension;
    }

    /** {@code gzip} or {@code zstd}: the key prefix in {@code NAME.image} ({@code gzip-size}, {@code gzip-sha256}). */
    public String keyPrefix() {
        return name().toLowerCase(Locale.ROOT);
    }
}
