package io.headnode.orchestrator.images;

import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageCompression;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.contract.Sha256;
import io.headnode.orchestrator.disk.OverlayDisk;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's image catalog directory ({@link ImageCatalog}), one for every head node. {@code add} detects the format
 * from the content (qemu-img's probe, never the name), writes the raw data once ({@code qemu-img convert}, which
 * also keeps a raw file sparse) under a temp name, hashes it, renames it to {@code NAME.raw} and only then writes
 * {@code NAME.image}: the image exists for readers only once it is complete. Changes hold the catalog's lock file.
 */
public final class ImageStore {
    private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);
    /** The formats {@code add} takes; qemu-img's probe calls anything it does not recognize raw. */
    static final List<String> FORMATS = List.of("raw", "qcow2");
    private static final Duration CONVERT_TIMEOUT = Duration.ofHours(2);
    private static final String LOCK = ".lock";
    private final ImageCatalog catalog;
    private final OverlayDisk qemuImg;
    private final CommandRunner runner;
    private final Clock clock;

    public ImageStore(Path dir, OverlayDisk qemuImg, CommandRunner runner, Clock clock) {
        this.catalog = new ImageCatalog(Objects.requireNonNull(dir, "dir is null"));
        this.qemuImg = Objects.requireNonNull(qemuImg, "qemuImg is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** The same tools over another directory (e.g. a temporary one, to compute an entry without keeping it here). */
    public ImageStore in(Path dir) {
        return new ImageStore(dir, qemuImg, runner, clock);
    }

    public ImageCatalog catalog() {
        return catalog;
    }

    /** A refusal an admin can act on (exit 1 with this message). */
    public static final class ImageException extends Exception {
        private static final long serialVersionUID = 1L;

        public ImageException(String message) {
            super(message);
        }
    }

    /** Adds {@code source} as {@code name}; refuses a name already in the catalog and any format but raw and qcow2. */
    public ImageEntry add(Path source, ImageName name) throws IOException, ImageException {
        if (!Files.isRegularFile(source)) {
            throw new ImageException(source + ": not a regular file");
        }
        OverlayDisk.Info info;
        try {
            info = qemuImg.info(source);
        } catch (CommandException e) {
            throw new ImageException(source + ": not an image qemu-img can read (" + e.getMessage() + ")");
        }
        if (!FORMATS.contains(info.format())) {
            throw new ImageException(source + ": format " + info.format() + " (detected from its content); only raw and qcow2 are taken");
        }
        if (info.backingFile().isPresent()) {
            throw new ImageException(source + ": a qcow2 with a backing file (" + info.backingFile().get() + "); add a standalone image (qemu-img convert it first)");
        }
        Files.createDirectories(catalog.root());
        try (FileChannel lockFile = FileChannel.open(catalog.root().resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            AtomicFiles.removeLeftovers(catalog.root());
            if (Files.exists(catalog.entryFile(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new ImageException("image " + name + " exists already (" + catalog.entryFile(name) + "); headnode images rm " + name + " first");
            }
            Path data = catalog.dataFile(name);
            Path tmp = catalog.root().resolve("." + data.getFileName() + "." + Math.abs(System.nanoTime() % 1_000_000_000L) + ".tmp");
            try {
                LOG.info("adding {} ({}) as image {}", source, info.format(), name);
                CommandResult r = runner.run(List.of("qemu-img", "convert", "-f", info.format(), "-O", "raw", source.toString(), tmp.toString()), CONVERT_TIMEOUT);
                if (!r.ok()) {
                    throw new ImageException("qemu-img convert of " + source + " failed: " + r.describe());
                }
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Digest d = digest(tmp);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                ImageEntry entry;
                try {
                    entry = new ImageEntry(name, d.size(), d.sha256(), info.format(), Optional.of(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
                } catch (IllegalArgumentException e) {
                    throw new ImageException(source + ": " + e.getMessage());
                }
                Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.write(catalog.entryFile(name), entry.render(), null);
                return entry;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Removes an image: its entry first (it leaves the catalog at once), then its data and stored compressed copies. */
    public boolean remove(ImageName name) throws IOException {
        if (!Files.isDirectory(catalog.root())) {
            return false;
        }
        try (FileChannel lockFile = FileChannel.open(catalog.root().resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            boolean had = Files.deleteIfExists(catalog.entryFile(name));
            had |= Files.deleteIfExists(catalog.dataFile(name));
            for (ImageCompression c : ImageCompression.values()) {
                Files.deleteIfExists(catalog.variantFile(name, c));
            }
            return had;
        }
    }

    /** Size and sha256 of a file, read once in 1 MiB blocks. */
    public record Digest(long size, Sha256 sha256) {
    }

    public static Digest digest(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        return new Digest(size, Sha256.of(md.digest()));
    }
}
