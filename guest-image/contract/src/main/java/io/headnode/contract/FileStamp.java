package io.headnode.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What tells a poller that a share file changed: its inode (the host replaces files by rename), mtime and size.
 * Equal stamps: the file need not be read again.
 */
public record FileStamp(Object fileKey, FileTime modified, long size) {
    /** The file's stamp, or empty when it does not exist or cannot be examined. */
    public static Optional<FileStamp> of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(of(a));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static FileStamp of(BasicFileAttributes a) {
        return new FileStamp(a.fileKey(), a.lastModifiedTime(), a.size());
    }
}
