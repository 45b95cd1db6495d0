package io.headnode.agent.status;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import io.headnode.common.sys.Libc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The virtio-serial port as a {@link StatusPort}, through the C library ({@link Libc}): Java cannot ask a character device
 * whether its other end is open. The port is opened once, read-write and non-blocking; {@code poll(2)} says
 * {@code POLLHUP} while no host holds its other end (Linux's virtio_console), and a write is made only while it does
 * not. A regular file (tests) is always connected. Linux only.
 */
final class DevicePort implements StatusPort {
    /** How long a line may take to go out to a connected host (a 2 MiB line goes in 32 KiB writes). */
    private static final long WRITE_NANOS = 5_000_000_000L;

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
        return (revents & (Libc.POLLHUP | Libc.POLLERR)) == 0 && (revents & Libc.POLLOUT) != 0;
    }

    @Override
    public synchronized boolean write(byte[] bytes) throws IOException, InterruptedException {
        byte[] out = cut ? concat(new byte[] {'\n'}, bytes) : bytes;
        int done = 0;
        long deadline = System.nanoTime() + WRITE_NANOS;
        while (done < out.length) {
            try {
                byte[] rest = done == 0 ? out : Arrays.copyOfRange(out, done, out.length);
                done += Libc.calls().write(open(), rest, new NativeLong(rest.length)).intValue();
                continue;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Libc.EAGAIN && e.getErrorCode() != Libc.EINTR) {
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
        Libc.PollFd p = new Libc.PollFd();
        p.fd = open();
        p.events = Libc.POLLOUT;
        try {
            Libc.calls().poll(p, new NativeLong(1), 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.EINTR) {
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
                fd = Libc.calls().open(path.toString(), Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_APPEND | Libc.O_CLOEXEC);
            } catch (LastErrorException e) {
                throw new IOException("open " + path + ": errno " + e.getErrorCode());
            } catch (LinkageError e) {
                throw new IOException(e.getMessage(), e);
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
                Libc.calls().close(fd);
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
