package io.headnode.agent.status;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Structure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The virtio-serial port as a {@link StatusPort}, through the C library (JNA): Java cannot ask a character device
 * whether its other end is open. The port is opened once, read-write and non-blocking; {@code poll(2)} says
 * {@code POLLHUP} while no host holds its other end (Linux's virtio_console), and a write is made only while it does
 * not. A regular file (tests) is always connected. Linux only.
 */
final class DevicePort implements StatusPort {
    private static final int O_RDWR = 02;
    private static final int O_NONBLOCK = 04000;
    private static final int O_APPEND = 02000;
    private static final int O_CLOEXEC = 02000000;
    private static final short POLLOUT = 0x004;
    private static final short POLLERR = 0x008;
    private static final short POLLHUP = 0x010;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    /** How long a line may take to go out to a connected host (a 2 MiB line goes in 32 KiB writes). */
    private static final long WRITE_NANOS = 5_000_000_000L;

    /** {@code struct pollfd}. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    public static final class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;
    }

    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int poll(PollFd fds, NativeLong count, int timeoutMillis) throws LastErrorException;

        NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    private final Path path;
    private int fd = -1;
    /** A write was cut: the host holds part of a line. */
    private boolean cut;

    DevicePort(Path path) {
        this.path = path;
    }

    @Override
    public synchronized boolean hostConnected() throws IOException {
        short revents = poll();
        return (revents & (POLLHUP | POLLERR)) == 0 && (revents & POLLOUT) != 0;
    }

    @Override
    public synchronized boolean write(byte[] bytes) throws IOException, InterruptedException {
        byte[] out = cut ? concat(new byte[] {'\n'}, bytes) : bytes;
        int done = 0;
        long deadline = System.nanoTime() + WRITE_NANOS;
        while (done < out.length) {
            try {
                byte[] rest = done == 0 ? out : Arrays.copyOfRange(out, done, out.length);
                done += Holder.LIBC.write(open(), rest, new NativeLong(rest.length)).intValue();
                continue;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EAGAIN && e.getErrorCode() != EINTR) {
                    cut |= done > 0;
                    closeFd();
                    throw new IOException("write " + path + ": errno " + e.getErrorCode());
                }
            }
            if (!hostConnected() || System.nanoTime() > deadline) {
                cut |= done > 0;
                return false;
            }
            Thread.sleep(10);
        }
        cut = false;
        return true;
    }

    private short poll() throws IOException {
        PollFd p = new PollFd();
        p.fd = open();
        p.events = POLLOUT;
        try {
            Holder.LIBC.poll(p, new NativeLong(1), 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINTR) {
                return 0;
            }
            closeFd();
            throw new IOException("poll " + path + ": errno " + e.getErrorCode());
        }
        return p.revents;
    }

    private int open() throws IOException {
        if (fd < 0) {
            try {
                fd = Holder.LIBC.open(path.toString(), O_RDWR | O_NONBLOCK | O_APPEND | O_CLOEXEC);
            } catch (LastErrorException e) {
                throw new IOException("open " + path + ": errno " + e.getErrorCode());
            } catch (LinkageError e) {
                throw new IOException("cannot load the C library through JNA: " + e, e);
            }
        }
        return fd;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void closeFd() {
        if (fd >= 0) {
            try {
                Holder.LIBC.close(fd);
            } catch (LastErrorException e) {
                // closed either way
            }
            fd = -1;
        }
    }

    @Override
    public synchronized void close() {
        closeFd();
    }
}
