package io.headnode.orchestrator.cluster;

import io.headnode.common.kv.KvFile;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.contract.ShareFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of the fleet's image catalog, the node {@code /images/NAME.image}: the same {@code key = value} lines as
 * the host's {@code NAME.image} file ({@link ImageEntry}: name, format, size, sha256 of the raw data, source format,
 * when it was added) plus {@code source = PATH}: the file every host copies (and converts) the image from into its own
 * catalog directory. PATH must be readable at that same path on every host (a shared read-only mount, or the admin
 * puts the file there on each host); a host where it is missing or converts to other bytes reports the image missing.
 */
public record FleetImage(ImageEntry entry, Path source) {
    /** The entry's bound plus the source line. */
    public static final int MAX_BYTES = ImageEntry.MAX_BYTES + 4096 + 16;
    static final String SOURCE = "source";

    public FleetImage {
        Objects.requireNonNull(entry, "entry is null");
        Objects.requireNonNull(source, "source is null");
        if (!source.isAbsolute() || source.toString().length() > 4096 || source.toString().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("source '" + source + "' is not an absolute path (of printable characters, at most 4096)");
        }
    }

    public ImageName name() {
        return entry.name();
    }

    /** The node's name under {@code /images}: {@code NAME.image}, like the host's catalog file. */
    public static String nodeName(ImageName name) {
        return ImageEntry.fileName(name);
    }

    public byte[] encode() {
        String text = new String(entry.render(), StandardCharsets.UTF_8) + KvFile.line(SOURCE, source.toString());
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a node's data; {@code label} (ending in {@code NAME.image}) names it in errors. */
    public static FleetImage decode(String label, byte[] data) throws ShareFormatException {
        if (data.length > MAX_BYTES) {
            throw new ShareFormatException(label, 0, "size", data.length + " bytes, more than " + MAX_BYTES);
        }
        StringBuilder entry = new StringBuilder();
        String source = null;
        int line = 0;
        int sourceLine = 0;
        for (String l : new String(data, StandardCharsets.UTF_8).split("\n", -1)) {
            line++;
            int eq = l.indexOf('=');
            if (eq > 0 && l.substring(0, eq).strip().equals(SOURCE)) {
                if (source != null) {
                    throw new ShareFormatException(label, line, SOURCE, "given twice");
                }
                source = l.substring(eq + 1).strip();
                sourceLine = line;
                entry.append('\n'); // keeps the entry's line numbers
            } else {
                entry.append(l).append('\n');
            }
        }
        if (source == null) {
            throw new ShareFormatException(label, 0, SOURCE, "missing: where every host copies the image from");
        }
        ImageEntry e = ImageEntry.parse(label, entry.toString().getBytes(StandardCharsets.UTF_8));
        try {
            return new FleetImage(e, Path.of(source));
        } catch (IllegalArgumentException x) {
            throw new ShareFormatException(label, sourceLine, SOURCE, x.getMessage());
        }
    }
}
