package io.headnode.contract;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's image catalog: one directory for every head node (never a copy per VLAN) holding, per image,
 * {@code NAME.raw} (the data), {@code NAME.image} ({@link ImageEntry}, written after the data) and optionally stored
 * compressed copies {@code NAME.raw.gz} / {@code NAME.raw.zst}. Only an image with a valid {@code NAME.image} exists:
 * a data file without one is an add in progress (or its leftover).
 * <p>
 * The host exports the directory to every head node as a second 9p share, read-only, under {@link #MOUNT_TAG}; the
 * agent mounts it read-only at {@link #GUEST_MOUNT} and serves {@code GET /images/NAME} (raw) and
 * {@code GET /images/NAME.raw.gz} (gzip) to the nodes ({@link #urlPath}).
 */
public record ImageCatalog(Path root) {
    /** The catalog directory on the host. */
    public static final Path HOST_DIRECTORY = Path.of("/var/lib/headnode-images");
    /** The 9p mount tag of the image share. */
    public static final String MOUNT_TAG = "headnode-images";
    /** Where the agent mounts the image share (read-only). */
    public static final Path GUEST_MOUNT = Path.of("/srv/headnode-images");
    /** The agent's HTTP path prefix for images. */
    public static final String URL_PREFIX = "/images/";
    /** Images in one catalog at most. */
    public static final int MAX_IMAGES = 256;

    public ImageCatalog {
        Objects.requireNonNull(root, "root is null");
    }

    /** What a read found: the valid entries (by name) and one error per entry file that was refused. */
    public record Listing(List<ImageEntry> images, List<ShareFormatException> errors) {
        public Listing {
            images = List.copyOf(images);
            errors = List.copyOf(errors);
        }

        public Optional<ImageEntry> find(ImageName name) {
            return images.stream().filter(e -> e.name().equals(name)).findFirst();
        }
    }

    public Path entryFile(ImageName name) {
        return root.resolve(ImageEntry.fileName(name));
    }

    public Path dataFile(ImageName name) {
        return root.resolve(name.value() + ImageEntry.DATA_SUFFIX);
    }

    public Path variantFile(ImageName name, ImageCompression c) {
        return root.resolve(name.value() + ImageEntry.DATA_SUFFIX + "." + c.extension());
    }

    /** The agent's URL path of an image: {@code /images/NAME}, or {@code /images/NAME.raw.gz} for a compression. */
    public static String urlPath(ImageName name, Optional<ImageCompression> compression) {
        return URL_PREFIX + name.value() + compression.map(c -> ImageEntry.DATA_SUFFIX + "." + c.extension()).orElse("");
    }

    /** One entry, or empty when {@code NAME.image} does not exist. */
    public Optional<ImageEntry> read(ImageName name) throws IOException, ShareFormatException {
        Path file = entryFile(name);
        Optional<byte[]> content = new ShareFileReader(root).read(file, file.toString(), ImageEntry.MAX_BYTES);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ImageEntry.parse(file.toString(), content.get()));
    }

    /**
     * Every {@code *.image} file under the complete-read rule ({@link ShareFileReader}); a refused one is listed in
     * the errors and the others still count. More than {@link #MAX_IMAGES} entry files is an error of the directory
     * (the first ones by name are kept). A missing directory is an empty catalog.
     */
    public Listing list() throws IOException {
        List<Path> files = new ArrayList<>();
        List<ShareFormatException> errors = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return new Listing(List.of(), List.of());
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root, "*" + ImageEntry.SUFFIX)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".")) {
                    files.add(p);
                }
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        if (files.size() > MAX_IMAGES) {
            errors.add(new ShareFormatException(root.toString(), 0, "images", files.size() + " entries, more than " + MAX_IMAGES + "; only the first " + MAX_IMAGES + " by name are read"));
            files = files.subList(0, MAX_IMAGES);
        }
        List<ImageEntry> images = new ArrayList<>();
        ShareFileReader reader = new ShareFileReader(root);
        for (Path p : files) {
            try {
                reader.read(p, p.toString(), ImageEntry.MAX_BYTES).ifPresent(content -> {
                    try {
                        images.add(ImageEntry.parse(p.toString(), content));
                    } catch (ShareFormatException e) {
                        errors.add(e);
                    }
                });
            } catch (ShareFormatException e) {
                errors.add(e);
            } catch (NoSuchFileException e) {
                // removed while listing
            }
        }
        return new Listing(images, errors);
    }
}
