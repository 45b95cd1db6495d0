package io.headnode.common.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open behind every share read: what it finds after the type check is opened without blocking and without
 * following a link, and checked on the descriptor. A FIFO with no writer here is what a reader meets when a regular
 * file is swapped for a FIFO between its check and its open: a plain {@code open()} blocks on it for good.
 */
class RegularFileReadTest {
    @TempDir
    Path dir;

    static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
    }

    @Test
    void readsARegularFileUpToItsBound() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "a\nb\n");
        assertThat(RegularFileRead.read(f, "f", 4)).isEqualTo("a\nb\n".getBytes());
        assertThat(RegularFileRead.read(Files.writeString(dir.resolve("empty"), ""), "empty", 4)).isEmpty();
        assertThatThrownBy(() -> RegularFileRead.read(f, "f", 3)).isInstanceOf(KvException.class).hasMessage("f: file: larger than 3 bytes");
        Path big = Files.write(dir.resolve("big"), new byte[200_000]);
        assertThat(RegularFileRead.read(big, "big", 200_000)).hasSize(200_000);
        assertThatThrownBy(() -> RegularFileRead.read(big, "big", 199_999)).hasMessage("big: file: larger than 199999 bytes");
    }

    @Test
    void aFifoWithoutAWriterIsRefusedAtOnceInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("machines.txt");
        mkfifo(fifo);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> RegularFileRead.read(fifo, "machines.txt", 100))
                .isInstanceOf(KvException.class).hasMessage("machines.txt: file: is not a regular file (a FIFO, socket or device)"));
    }

    @Test
    void aLinkIsNotFollowedADeviceAndADirectoryAreRefusedMissingIsNoSuchFile() throws Exception {
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, Path.of("/dev/zero"));
        assertThatThrownBy(() -> RegularFileRead.read(link, "link", 100)).isInstanceOf(KvException.class)
                .hasMessage("link: file: is a symbolic link (not followed)");
        assertThatThrownBy(() -> RegularFileRead.read(Path.of("/dev/zero"), "zero", 100))
                .hasMessage("zero: file: is not a regular file (a FIFO, socket or device)");
        assertThatThrownBy(() -> RegularFileRead.read(dir, "dir", 100)).hasMessage("dir: file: is not a regular file (a directory)");
        assertThatThrownBy(() -> RegularFileRead.read(dir.resolve("none"), "none", 100)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void noDescriptorIsLeft() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "a\n");
        Path fifo = dir.resolve("fifo");
        mkfifo(fifo);
        long before;
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            before = s.count();
        }
        for (int i = 0; i < 200; i++) {
            RegularFileRead.read(f, "f", 10);
            assertThatThrownBy(() -> RegularFileRead.read(fifo, "fifo", 10)).isInstanceOf(KvException.class);
        }
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            assertThat(s.count()).isLessThanOrEqualTo(before + 2);
        }
    }
}
