package io.headnode.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.testing.Daemon;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storm's TFTP client against Debian's in.tftpd (the server the agent runs), on loopback: with the blksize option
 * (RFC 2347/2348, as PXE ROMs ask) and without it, files of odd sizes and of exact multiples of the block (which end
 * with an empty DATA block) arrive byte for byte; a missing file is the server's error.
 */
class TftpFetcherIT {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    @TempDir
    Path dir;
    Daemon tftpd;
    InetSocketAddress server;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            port = probe.getLocalPort();
        }
        Path root = Files.createDirectories(dir.resolve("root"));
        root.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        root.toFile().setExecutable(true, false);
        server = new InetSocketAddress(LOOPBACK, port);
        tftpd = Daemon.start("in.tftpd", dir.resolve("tftpd.log"),
                List.of("in.tftpd", "-L", "-a", "127.0.0.1:" + port, "-s", root.toString()));
    }

    @AfterEach
    void stop() {
        tftpd.close();
    }

    byte[] file(String name, int size) throws IOException {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        Path p = Files.write(dir.resolve("root").resolve(name), b);
        p.toFile().setReadable(true, false);
        return b;
    }

    @Test
    void filesArriveWholeWithAndWithoutTheBlockSizeOption() throws Exception {
        byte[] odd = file("pxelinux.0", 46_000);
        byte[] multiple = file("exact.bin", 1408 * 20);
        byte[] multiple512 = file("exact512.bin", 512 * 7);
        byte[] empty = file("empty.cfg", 0);
        for (int blksize : new int[] {TftpFetcher.BLKSIZE, 512}) {
            TftpFetcher f = new TftpFetcher(Duration.ofSeconds(2), blksize);
            // (a first RRQ sent before in.tftpd has bound is lost, and resent after the timeout)
            assertThat(f.fetch(LOOPBACK, server, "pxelinux.0")).as("blksize %d", blksize).isEqualTo(odd);
            assertThat(f.fetch(LOOPBACK, server, "exact.bin")).as("blksize %d", blksize).isEqualTo(multiple);
            assertThat(f.fetch(LOOPBACK, server, "exact512.bin")).as("blksize %d", blksize).isEqualTo(multiple512);
            assertThat(f.fetch(LOOPBACK, server, "empty.cfg")).as("blksize %d", blksize).isEqualTo(empty);
        }
        assertThatThrownBy(() -> new TftpFetcher(Duration.ofSeconds(2)).fetch(LOOPBACK, server, "missing"))
                .isInstanceOf(IOException.class).hasMessageContaining("TFTP error 1");
    }
}
