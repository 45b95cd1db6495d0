package io.headnode.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * Writes files so that a reader sees either the old or the new content, never a part:
 * a temp file in the same directory, fsync, rename over the target, fsync of the directory.
 * An unchanged file is not rewritten (its mtime stays, so pollers see nothing new).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes {@code content} to {@code target} unless it already holds exactly that. Returns true when written. */
    public static boolean writeIfChanged(Path target, byte[] content) throws IOException {
        return writeIfChanged(target, content, null);
    }

    /** As {@link #writeIfChanged(Path, byte[])}, creating the file with the given permissions (e.g. 0600 for secrets). */
    public static boolean writeIfChanged(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        if (sameContent(target, content) && (permissions == null || Files.getPosixFilePermissions(target).equals(permissions))) {
            return false;
        }
        write(target, content, permissions);
        return true;
    }

    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            if (permissions != null) {
                Files.setPosixFilePermissions(tmp, permissions);
            } else {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically", e);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The temp file names {@link #write} makes: ".<target>.<digits>.tmp" ({@link Files#createTempFile}). */
    private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("\\..+\\.[0-9]+\\.tmp");

    /**
     * Removes the temp files that writes into {@code dir} left behind when the process died between creating the
     * temp file and renaming it (a crash, SIGKILL, power loss): the target itself was never touched, so they hold
     * nothing anyone needs. Only regular files named like {@link #write}'s temp files, not sub-directories. Call it
     * at start, before anything writes into {@code dir}. Returns the names removed; a missing directory has none.
     */
    public static java.util.List<String> removeLeftovers(Path dir) throws IOException {
        java.util.List<String> removed = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return removed;
        }
        try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (TEMP.matcher(name).matches() && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
                    removed.add(name);
                }
            }
        }
        java.util.Collections.sort(removed);
        return removed;
    }

    private static boolean sameContent(Path target, byte[] content) throws IOException {
        try {
            if (Files.size(target) != content.length) {
                return false;
            }
            return Arrays.equals(Files.readAllBytes(target), content);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems (9p among them) cannot fsync a directory; the rename is still atomic
        }
    }
}
