package io.headnode.common.kv;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import io.headnode.common.sys.Libc;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file that must be a regular file, without the race between a type check and {@code open()}: the file is
 * opened with {@code O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC} (a FIFO swapped in after the check opens at once
 * instead of blocking until a writer comes; a symbolic link swapped in is not followed), then the type is checked
 * on the opened descriptor ({@code /proc/self/fd/N}, an fstat), and only a regular file is read, up to the bound.
 * Linux only (the guest and the host both are).
 */
public final class RegularFileRead {
    private static final class CLibrary {
        /** Whether the C library is there; if not, reads fall back to a checked plain open (logged once, here). */
        static final boolean LOADED = Libc.loaded();

        static {
            if (!LOADED) {
                org.slf4j.LoggerFactory.getLogger(RegularFileRead.class)
                        .warn("cannot load the C library through JNA ({}); share files are opened without O_NONBLOCK", Libc.loadFailure());
            }
        }
    }

    private RegularFileRead() {
    }

    /**
     * The content of {@code path} (named {@code file} in errors), at most {@code maxBytes}.
     *
     * @throws NoSuchFileException when it does not exist
     * @throws KvException (field {@code file}) when it is not a regular file, is a symbolic link, or is larger than the bound
     */
    public static byte[] read(Path path, String file, int maxBytes) throws IOException, KvException {
        if (!CLibrary.LOADED) {
            return fallback(path, file, maxBytes);
        }
        int fd;
        try {
            fd = Libc.calls().open(path.toString(), Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ELOOP) {
                throw new KvException(file, 0, "file", "is a symbolic link (not followed)");
            }
            throw switch (e.getErrorCode()) {
                case Libc.ENOENT -> new NoSuchFileException(path.toString());
                case Libc.EACCES -> new AccessDeniedException(path.toString());
                default -> new FileSystemException(path.toString(), null, "open: errno " + e.getErrorCode());
            };
        }
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new KvException(file, 0, "file", "is not a regular file (" + (a.isDirectory() ? "a directory" : "a FIFO, socket or device") + ")");
            }
            return readAll(fd, file, maxBytes);
        } finally {
            try {
                Libc.calls().close(fd);
            } catch (LastErrorException e) {
                // a read-only descriptor: nothing was lost
            }
        }
    }

    private static byte[] fallback(Path path, String file, int maxBytes) throws IOException, KvException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new KvException(file, 0, "file", "is a symbolic link (not followed)");
        }
        if (!a.isRegularFile()) {
            throw new KvException(file, 0, "file", "is not a regular file (" + (a.isDirectory() ? "a directory" : "a FIFO, socket or device") + ")");
        }
        return KvLines.readBounded(path, file, maxBytes);
    }

    private static byte[] readAll(int fd, String file, int maxBytes) throws IOException, KvException {
        byte[] buffer = new byte[Math.min(maxBytes + 1, 64 * 1024)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            long n;
            try {
                n = Libc.calls().read(fd, buffer, new NativeLong(buffer.length)).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Libc.EINTR) {
                    continue;
                }
                throw new IOException(file + ": read: errno " + e.getErrorCode());
            }
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, (int) n);
            if (out.size() > maxBytes) {
                throw KvLines.tooLarge(file, maxBytes);
            }
        }
    }
}
