package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareFileReaderTest {
    @TempDir
    Path share;

    private ShareFileReader reader() {
        return new ShareFileReader(share);
    }

    @Test
    void readsACompleteRegularFileAndMissingIsEmpty() throws Exception {
        Files.writeString(share.resolve("machines.txt"), "a\nb\n");
        assertThat(reader().read(share.resolve("machines.txt"), "machines.txt", 100)).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("a\nb\n"));
        Files.writeString(share.resolve("empty"), "");
        assertThat(reader().read(share.resolve("empty"), "empty", 100)).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(reader().read(share.resolve("none"), "none", 100)).isEmpty();
        assertThat(new ShareFileReader(share.resolve("no-share")).read(share.resolve("no-share/x"), "x", 100)).isEmpty();
    }

    @Test
    void aMissingFinalNewlineIsAnIncompleteWrite() throws Exception {
        Files.writeString(share.resolve("machines.txt"), "a\nb");
        assertThatThrownBy(() -> reader().read(share.resolve("machines.txt"), "machines.txt", 100)).isInstanceOf(ShareFormatException.class)
                .hasMessage("machines.txt:2: file: incomplete: the last line has no newline (truncated or torn write)");
    }

    @Test
    void overSizeIsRefused() throws Exception {
        Files.write(share.resolve("big"), new byte[101]);
        assertThatThrownBy(() -> reader().read(share.resolve("big"), "big", 100)).hasMessage("big: file: larger than 100 bytes");
        Files.write(share.resolve("fits"), "x".repeat(99).concat("\n").getBytes());
        assertThat(reader().read(share.resolve("fits"), "fits", 100)).isPresent();
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = share.resolve("machines.txt");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThatThrownBy(() -> reader().read(fifo, "machines.txt", 100))
                .hasMessage("machines.txt: file: is not a regular file (a FIFO, socket or device)");
    }

    @Test
    void aLinkToDevZeroLeavesTheShareAndIsRefused() throws Exception {
        Path link = share.resolve("headnode.conf");
        Files.createSymbolicLink(link, Path.of("/dev/zero"));
        assertThatThrownBy(() -> reader().read(link, "headnode.conf", 1 << 20))
                .hasMessageStartingWith("headnode.conf: file: leads outside " + share);
        Path outside = Files.createTempFile("outside", ".txt");
        try {
            Files.writeString(outside, "secret\n");
            Files.createSymbolicLink(share.resolve("machines.txt"), outside);
            assertThatThrownBy(() -> reader().read(share.resolve("machines.txt"), "machines.txt", 100)).hasMessageContaining("leads outside");
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aLinkInsideTheShareIsFollowedButADirectoryIsNot() throws Exception {
        Files.writeString(share.resolve("real.txt"), "a\n");
        Files.createSymbolicLink(share.resolve("machines.txt"), Path.of("real.txt"));
        assertThat(reader().read(share.resolve("machines.txt"), "machines.txt", 100)).isPresent();
        Files.createDirectory(share.resolve("dir"));
        assertThatThrownBy(() -> reader().read(share.resolve("dir"), "dir", 100)).hasMessage("dir: file: is not a regular file (a directory)");
        Files.createSymbolicLink(share.resolve("dangling"), Path.of("nowhere"));
        assertThat(reader().read(share.resolve("dangling"), "dangling", 100)).isEmpty();
    }

    @Test
    void stampsChangeWithReplacement() throws Exception {
        Path f = share.resolve("m");
        Files.writeString(f, "a\n");
        FileStamp before = FileStamp.of(f).orElseThrow();
        assertThat(FileStamp.of(f)).contains(before);
        Path tmp = share.resolve(".m.tmp");
        Files.writeString(tmp, "b\n");
        Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(FileStamp.of(f).orElseThrow()).isNotEqualTo(before);
        assertThat(FileStamp.of(share.resolve("none"))).isEmpty();
    }

    /**
     * Issue 13: a file swapped for a FIFO between the type check and the open. Another thread renames a regular file
     * and a FIFO over machines.txt in turn while this one reads it: every read ends (content, a refusal, or missing),
     * none blocks. With a plain open() a read that lost the race waited for a writer for good; the window is narrow, so
     * this run (1 s) rarely hits it with the old open: {@code RegularFileReadTest} proves the open itself cannot block.
     */
    @Test
    void aFileSwappedForAFifoBetweenTheCheckAndTheOpenCannotBlock() throws Exception {
        Path target = share.resolve("machines.txt");
        Files.writeString(target, "a\n");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        Thread swapper = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    Path next = share.resolve("next" + (i % 2));
                    Files.deleteIfExists(next);
                    if (i % 2 == 0) {
                        Process mk = new ProcessBuilder("mkfifo", next.toString()).start();
                        mk.waitFor();
                    } else {
                        Files.writeString(next, "a\n");
                    }
                    Files.move(next, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    swaps.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "swapper");
        swapper.setDaemon(true);
        swapper.start();
        int reads = 0;
        int refused = 0;
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < end || swaps.get() < 20) {
                reads++;
                try {
                    assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> reader().read(target, "machines.txt", 100));
                } catch (Exception e) {
                    assertThat(e).isInstanceOf(ShareFormatException.class);
                    refused++;
                    assertThat(e.getMessage()).startsWith("machines.txt");
                }
            }
        } finally {
            stop.set(true);
            swapper.join(10_000);
        }
        assertThat(swaps.get()).isGreaterThanOrEqualTo(20);
        assertThat(refused).as("some reads met the FIFO").isPositive().isLessThan(reads);
    }
}
