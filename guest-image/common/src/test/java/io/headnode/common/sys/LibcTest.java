package io.headnode.common.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibcTest {
    @TempDir
    Path dir;

    @Test
    void writesReadsAndPollsADescriptorWithLinuxsFlags() throws Exception {
        assertThat(Libc.loaded()).isTrue();
        assertThat(Libc.loadFailure()).isNull();
        Path f = dir.resolve("f");
        Files.writeString(f, "one\n");
        Libc.Calls c = Libc.calls();

        int w = c.open(f.toString(), Libc.O_RDWR | Libc.O_APPEND | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        try {
            byte[] two = "two\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(c.write(w, two, new NativeLong(two.length)).intValue()).isEqualTo(4);
            Libc.PollFd p = new Libc.PollFd();
            p.fd = w;
            p.events = Libc.POLLOUT;
            assertThat(c.poll(p, new NativeLong(1), 0)).isEqualTo(1);
            assertThat(p.revents & Libc.POLLOUT).isNotZero();
            assertThat(p.revents & (Libc.POLLHUP | Libc.POLLERR)).isZero();
        } finally {
            c.close(w);
        }
        assertThat(Files.readString(f)).isEqualTo("one\ntwo\n");   // O_APPEND: after the existing line

        int r = c.open(f.toString(), Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC);
        try {
            byte[] buf = new byte[64];
            assertThat(c.read(r, buf, new NativeLong(buf.length)).intValue()).isEqualTo(8);
        } finally {
            c.close(r);
        }
    }

    @Test
    void errnoOfAFailedOpen() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("target"));
        Files.writeString(dir.resolve("target"), "x");
        assertThatThrownBy(() -> Libc.calls().open(link.toString(), Libc.O_RDONLY | Libc.O_NOFOLLOW))
                .isInstanceOfSatisfying(LastErrorException.class, e -> assertThat(e.getErrorCode()).isEqualTo(Libc.ELOOP));
        assertThatThrownBy(() -> Libc.calls().open(dir.resolve("none").toString(), Libc.O_RDONLY))
                .isInstanceOfSatisfying(LastErrorException.class, e -> assertThat(e.getErrorCode()).isEqualTo(Libc.ENOENT));
    }
}
