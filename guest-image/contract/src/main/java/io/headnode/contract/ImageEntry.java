package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One image of the host's catalog: the file {@code NAME.image} ({@code key = value}) beside the image data
 * {@code NAME.raw} in the catalog directory ({@link ImageCatalog}). The host writes it (atomically, after the data);
 * the agent reads it from its read-only mount.
 * <ul>
 *   <li>{@code name}: the image name ({@link ImageName}); must be the file's name without {@code .image}</li>
 *   <li>{@code format}: always {@code raw}: what is stored and served (a qcow2 is converted when it is added)</li>
 *   <li>{@code size}: bytes of {@code NAME.raw}</li>
 *   <li>{@code sha256}: of {@code NAME.raw}; what a node writes to its disk must have it</li>
 *   <li>{@code source-format}: {@code raw} or {@code qcow2}, what was added (detected from the content); optional, default raw</li>
 *   <li>{@code added}: when it was added, ISO-8601 UTC ({@code 2026-12-02T11:50:00Z}); optional</li>
 *   <li>{@code gzip-size} + {@code gzip-sha256}, {@code zstd-size} + {@code zstd-sha256}: optional stored compressed
 *       copies {@code NAME.raw.gz}, {@code NAME.raw.zst} (both keys or neither)</li>
 * </ul>
 */
public record ImageEntry(ImageName name, long size, Sha256 sha256, String sourceFormat, Optional<Instant> added,
                         Map<ImageCompression, ImageVariant> variants) {
    public static final String SUFFIX = ".image";
    /** The data file's suffix: {@code NAME.raw}. */
    public static final String DATA_SUFFIX = ".raw";
    /** The one format images are stored and served in. */
    public static final String FORMAT = "raw";
    /** The size bound of a {@code NAME.image} file. */
    public static final int MAX_BYTES = 4 << 10;
    /** Keys at most (each known key once). */
    public static final int MAX_LINES = 16;
    /** The largest image the catalog takes: 16 TiB. */
    public static final long MAX_SIZE = 1L << 44;
    private static final Set<String> SOURCE_FORMATS = Set.of("raw", "qcow2");
    private static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(Set.of("name", "format", "size", "sha256", "source-format", "added"));
        for (ImageCompression c : ImageCompression.values()) {
            keys.add(c.keyPrefix() + "-size");
            keys.add(c.keyPrefix() + "-sha256");
        }
        KEYS = Set.copyOf(keys);
    }

    public ImageEntry {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(sha256, "sha256 is null");
        Objects.requireNonNull(added, "added is null");
        if (size < 1 || size > MAX_SIZE) {
            throw new FieldException("size", size + " is outside 1.." + MAX_SIZE + " bytes");
        }
        if (sourceFormat == null || !SOURCE_FORMATS.contains(sourceFormat)) {
            throw new FieldException("source-format", "'" + (sourceFormat == null ? "" : MacAddress.printable(sourceFormat)) + "' is not raw or qcow2");
        }
        variants = Map.copyOf(variants);
        variants.forEach((c, v) -> {
            if (v.compression() != c) {
                throw new IllegalArgumentException("variant " + v + " filed under " + c);
            }
        });
    }

    /** An entry with no stored compressed copies. */
    public ImageEntry(ImageName name, long size, Sha256 sha256, String sourceFormat, Optional<Instant> added) {
        this(name, size, sha256, sourceFormat, added, Map.of());
    }

    /** {@code NAME.image}. */
    public String fileName() {
        return fileName(name);
    }

    public static String fileName(ImageName name) {
        return name.value() + SUFFIX;
    }

    /** {@code NAME.raw}: the image data beside this file. */
    public String dataFileName() {
        return name.value() + DATA_SUFFIX;
    }

    /** {@code NAME.raw.gz} / {@code NAME.raw.zst}: a stored compressed copy. */
    public String variantFileName(ImageCompression c) {
        return dataFileName() + "." + c.extension();
    }

    public Optional<ImageVariant> variant(ImageCompression c) {
        return Optional.ofNullable(variants.get(c));
    }

    /**
     * Reads {@code NAME.image}; {@code file} names it in errors and must end in {@code .image}: the name inside must
     * be the file's.
     */
    public static ImageEntry parse(String file, byte[] content) throws ShareFormatException {
        try {
            KvFile f = KvFile.parse(file, content, MAX_BYTES, MAX_LINES).requireKnown(KEYS);
            ImageName name = f.required("name", ImageName::parse);
            String base = file.substring(file.lastIndexOf('/') + 1);
            if (!base.equals(fileName(name))) {
                throw f.error("name", "'" + name + "' does not match the file name " + MacAddress.printable(base) + " (expected " + fileName(name) + ")");
            }
            String format = f.required("format", v -> v);
            if (!format.equals(FORMAT)) {
                throw f.error("format", "'" + MacAddress.printable(format) + "' is not raw (images are stored and served raw)");
            }
            long size = f.required("size", KvValues::longNumber);
            Sha256 sha = f.required("sha256", Sha256::parse);
            String source = f.text("source-format").orElse(FORMAT);
            Optional<Instant> added = f.optional("added", ImageEntry::instant);
            Map<ImageCompression, ImageVariant> variants = new EnumMap<>(ImageCompression.class);
            for (ImageCompression c : ImageCompression.values()) {
                Optional<Long> vsize = f.optional(c.keyPrefix() + "-size", KvValues::longNumber);
                Optional<Sha256> vsha = f.optional(c.keyPrefix() + "-sha256", Sha256::parse);
                if (vsize.isPresent() != vsha.isPresent()) {
                    String missing = c.keyPrefix() + (vsize.isPresent() ? "-sha256" : "-size");
                    String given = c.keyPrefix() + (vsize.isPresent() ? "-size" : "-sha256");
                    throw f.error(given, "given without " + missing);
                }
                if (vsize.isPresent()) {
                    String key = c.keyPrefix() + "-size";
                    variants.put(c, f.build(() -> {
                        try {
                            return new ImageVariant(c, vsize.get(), vsha.get());
                        } catch (IllegalArgumentException e) {
                            throw new FieldException(key, e.getMessage());
                        }
                    }));
                }
            }
            return f.build(() -> new ImageEntry(name, size, sha, source, added, variants));
        } catch (KvException e) {
            throw ShareFormatException.of(e);
        }
    }

    private static Instant instant(String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + MacAddress.printable(v) + "' is not an ISO-8601 UTC time like 2026-12-02T11:50:00Z");
        }
    }

    public byte[] render() {
        StringBuilder b = new StringBuilder("# ").append(fileName()).append(", written by headnode images add\n");
        b.append(KvFile.line("name", name.value()));
        b.append(KvFile.line("format", FORMAT));
        b.append(KvFile.line("size", Long.toString(size)));
        b.append(KvFile.line("sha256", sha256.hex()));
        b.append(KvFile.line("source-format", sourceFormat));
        added.ifPresent(a -> b.append(KvFile.line("added", a.toString())));
        for (ImageCompression c : ImageCompression.values()) {
            ImageVariant v = variants.get(c);
            if (v != null) {
                b.append(KvFile.line(c.keyPrefix() + "-size", Long.toString(v.size())));
                b.append(KvFile.line(c.keyPrefix() + "-sha256", v.sha256().hex()));
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
