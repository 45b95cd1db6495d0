package io.headnode.agent.http;

import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageCompression;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.contract.ShareFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the host's image catalog ({@link ImageCatalog}, the read-only image share) to the nodes:
 * {@code GET|HEAD /images/NAME} is the raw image, zero-copy (a file region, sendfile) with Range support;
 * {@code /images/NAME.raw.gz} or {@code .raw.zst} is a compressed copy the host stored beside it (404 when it has
 * none). Only an image with a valid {@code NAME.image} exists, and only while its data file is a regular file (not a
 * link) directly in the catalog whose size is the entry's: a data file of another size is refused with 503 rather
 * than served short or long (a node checks the sha256 of what it wrote in any case). The path must be exactly one
 * segment of the image name's characters: no percent-escapes, no dots in front, no slashes.
 */
public final class ImageFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);
    private final ImageCatalog catalog;

    public ImageFiles(Path root) {
        this.catalog = new ImageCatalog(Objects.requireNonNull(root, "root is null"));
    }

    /** Whether {@code path} is this route's. */
    public static boolean handles(String path) {
        return path.startsWith(ImageCatalog.URL_PREFIX);
    }

    /** What the request names: an image and maybe a compression; empty for a path no image can have. */
    record Target(ImageName name, Optional<ImageCompression> compression) {
    }

    static Optional<Target> target(String path) {
        if (!handles(path) || path.length() > 256) {
            return Optional.empty();
        }
        String rest = path.substring(ImageCatalog.URL_PREFIX.length());
        Optional<ImageCompression> compression = Optional.empty();
        for (ImageCompression c : ImageCompression.values()) {
            String suffix = ImageEntry.DATA_SUFFIX + "." + c.extension();
            if (rest.endsWith(suffix)) {
                compression = Optional.of(c);
                rest = rest.substring(0, rest.length() - suffix.length());
                break;
            }
        }
        try {
            return Optional.of(new Target(ImageName.parse(rest), compression));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public HttpResponse serve(HttpRequest req) {
        Optional<Target> t = target(req.path());
        if (t.isEmpty()) {
            return HttpResponse.text(404, "not found\n");
        }
        ImageName name = t.get().name();
        Optional<ImageEntry> entry;
        try {
            entry = catalog.read(name);
        } catch (ShareFormatException e) {
            LOG.warn("image {} not served: {}", name, e.getMessage());
            return HttpResponse.text(503, "image " + name + " has an unreadable catalog entry\n");
        } catch (IOException e) {
            LOG.warn("image {} not served: cannot read its entry: {}", name, e.toString());
            return HttpResponse.text(503, "image catalog unreadable\n");
        }
        if (entry.isEmpty()) {
            return HttpResponse.text(404, "not found\n");
        }
        ImageEntry e = entry.get();
        Path file;
        long size;
        if (t.get().compression().isPresent()) {
            ImageCompression c = t.get().compression().get();
            if (e.variant(c).isEmpty()) {
                return HttpResponse.text(404, "image " + name + " has no stored " + c.keyPrefix() + " copy\n");
            }
            file = catalog.variantFile(name, c);
            size = e.variant(c).get().size();
        } else {
            file = catalog.dataFile(name);
            size = e.size();
        }
        String problem = check(file, size);
        if (problem != null) {
            LOG.warn("image {} not served: {}", name, problem);
            return HttpResponse.text(503, "image " + name + " is not complete on the image share\n");
        }
        return HttpResponse.ranged("application/octet-stream", file, size, req.header("range"));
    }

    /** Why {@code file} cannot be served as {@code size} bytes, or null. */
    private String check(Path file, long size) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return file + " is missing or not a regular file";
            }
            long actual = Files.size(file);
            return actual == size ? null : file + " has " + actual + " bytes, its catalog entry says " + size;
        } catch (IOException x) {
            return "cannot read " + file + ": " + x;
        }
    }
}
