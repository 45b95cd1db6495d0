package io.headnode.common.kv;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
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
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    /** asm-generic (x86-64 and most); ARM and AArch64 (JNA: isARM) use 0100000. */
    private static final int O_NOFOLLOW = Platform.isARM() ? 0100000 : 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int ELOOP = 40;
    private static final int EINTR = 4;

    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        NativeLong read(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = load();

        /** The C library, or null if JNA cannot load it (then reads fall back to a checked plain open, logged once). */
        private static LibC load() {
            try {
                return Native.load(Platform.C_LIBRARY_NAME, LibC.class);
            } catch (LinkageError e) {
                org.slf4j.LoggerFactory.getLogger(RegularFileRead.class)
                        .warn("cannot load the C library through JNA ({}); share files are opened without O_NONBLOCK", e.toString());
                return null;
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
        if (Holder.LIBC == null) {
            return fallback(path, file, maxBytes);
        }
        int fd;
        try {
            fd = Holder.LIBC.open(path.toString(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ELOOP) {
                throw new KvException(file, 0, "file", "is a symbolic link (not followed)");
            }
            throw switch (e.getErrorCode()) {
                case ENOENT -> new NoSuchFileException(path.toString());
                case EACCES -> new AccessDeniedException(path.toString());
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
                Holder.LIBC.close(fd);
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
                n = Holder.LIBC.read(fd, buffer, new NativeLong(buffer.length)).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
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
