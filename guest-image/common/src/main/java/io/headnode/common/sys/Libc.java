package io.headnode.common.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/**
 * The project's one binding of the C library, through JNA, for what Java has no API for: {@code open(2)} with flags
 * ({@code O_NOFOLLOW}, {@code O_NONBLOCK}), then {@code read}, {@code write}, {@code poll} and {@code close} on the
 * descriptor. Used by {@code RegularFileRead} (share files without a check-then-open race) and the agent's status
 * port (is a host connected?). Linux only (the guest and the host both are); the constants are Linux's.
 */
public final class Libc {
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 02;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    /** asm-generic (x86-64 and most); ARM and AArch64 (JNA: isARM) use 0100000. */
    public static final int O_NOFOLLOW = Platform.isARM() ? 0100000 : 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int ELOOP = 40;

    /** {@code struct pollfd}. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    public static final class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;
    }

    /** The calls; each failure is a {@link LastErrorException} carrying errno. */
    public interface Calls extends Library {
        int open(String path, int flags) throws LastErrorException;

        NativeLong read(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        int poll(PollFd fds, NativeLong count, int timeoutMillis) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final Calls CALLS;
        static final String FAILURE;

        static {
            Calls calls = null;
            String failure = null;
            try {
                calls = Native.load(Platform.C_LIBRARY_NAME, Calls.class);
            } catch (LinkageError e) {
                failure = e.toString();
            }
            CALLS = calls;
            FAILURE = failure;
        }
    }

    private Libc() {
    }

    /** Whether JNA could load the C library (loaded once, on first use). */
    public static boolean loaded() {
        return Holder.CALLS != null;
    }

    /** Why JNA could not load the C library, or null when it could. */
    public static String loadFailure() {
        return Holder.FAILURE;
    }

    /**
     * The C library.
     *
     * @throws UnsatisfiedLinkError when JNA cannot load it (the message names JNA's reason)
     */
    public static Calls calls() {
        if (Holder.CALLS == null) {
            throw new UnsatisfiedLinkError("cannot load the C library through JNA: " + Holder.FAILURE);
        }
        return Holder.CALLS;
    }
}
