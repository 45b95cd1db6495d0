package io.headnode.contract;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.RegularFileRead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * The share's complete-read rule, for every reader of share files (the agent, power, install requests). Only
 * complete content counts:
 * <ul>
 *   <li>a regular file inside the share: a FIFO, a device, a directory, or a link that leaves the share is refused
 *       (a FIFO or /dev/zero would block or never end); the type is checked again on the opened descriptor, which is
 *       opened without following a link and without blocking ({@link RegularFileRead}), so an entry swapped for a
 *       FIFO or a link between the check and the open is refused too;</li>
 *   <li>at most the caller's size bound (read with that bound, so a file that grows while read stops there);</li>
 *   <li>unchanged while read (same inode, mtime and size before and after);</li>
 *   <li>ending with a newline: the host writes whole files by rename, so a missing final newline means a torn or
 *       truncated write. An empty file is complete.</li>
 * </ul>
 * Refusals are {@link ShareFormatException}s naming the file and field {@code file}; the caller keeps its last good
 * reading and tries again on its next poll.
 */
public final class ShareFileReader {
    private final Path root;

    /** Reads files under {@code root} (the share, or another directory that follows the same rule). */
    public ShareFileReader(Path root) {
        this.root = Objects.requireNonNull(root, "root is null");
    }

    /**
     * The complete content of {@code file} (named {@code name} in errors), or empty when it does not exist (a link
     * to nothing does not exist either).
     */
    public Optional<byte[]> read(Path file, String name, int maxBytes) throws IOException, ShareFormatException {
        Path real;
        Path realRoot;
        try {
            real = file.toRealPath();
            realRoot = root.toRealPath();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!real.startsWith(realRoot)) {
            throw new ShareFormatException(name, 0, "file", "leads outside " + root + " (a link to " + real + "); only files in it are read");
        }
        BasicFileAttributes before = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!before.isRegularFile()) {
            throw new ShareFormatException(name, 0, "file", "is not a regular file (" + (before.isDirectory() ? "a directory" : "a FIFO, socket or device") + ")");
        }
        if (before.size() > maxBytes) {
            throw new ShareFormatException(name, 0, "file", "larger than " + maxBytes + " bytes");
        }
        byte[] content;
        try {
            // opened O_NOFOLLOW|O_NONBLOCK and checked again on the descriptor: a FIFO or link swapped in since the check cannot block
            content = RegularFileRead.read(real, name, maxBytes);
        } catch (KvException e) {
            throw ShareFormatException.of(e);
        } catch (NoSuchFileException e) {
            return Optional.empty();   // removed since the check
        }
        BasicFileAttributes after = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!FileStamp.of(after).equals(FileStamp.of(before)) || after.size() != content.length) {
            throw new ShareFormatException(name, 0, "file", "changed while being read (write in progress)");
        }
        if (content.length > 0 && content[content.length - 1] != '\n') {
            int line = 1;
            for (byte b : content) {
                if (b == '\n') {
                    line++;
                }
            }
            throw new ShareFormatException(name, line, "file", "incomplete: the last line has no newline (truncated or torn write)");
        }
        return Optional.of(content);
    }
}
