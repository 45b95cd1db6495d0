package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's server as GRUB's HTTP client (grub-core/net/http.c, 2.06 and 2.12) sees it: the exact request GRUB
 * builds (request line, Host, User-Agent, a Range line only when it seeks), an 8 KiB receive window (GRUB's TCP
 * advertises 8192 and no window scaling) read in 536-byte pieces (GRUB sends no MSS option), and GRUB's response
 * parser: the status line must start with {@code HTTP/1.1 } and carry 200 or 206, the size comes only from a line
 * starting with exactly {@code Content-Length: } (case and the space matter), {@code Transfer-Encoding: chunked}
 * would switch it to chunk parsing. GRUB reads exactly Content-Length bytes and does not wait for the connection to
 * close. docs/design/uefi-boot.md, section 12.
 */
class GrubHttpClientTest {
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    @TempDir
    Path dir;
    HttpServer server;
    byte[] kernel;
    byte[] initrd;

    @BeforeEach
    void start() throws Exception {
        kernel = new byte[(1 << 20) + 4321];
        new Random(9).nextBytes(kernel);
        Files.createDirectories(dir.resolve("lab"));
        Files.write(dir.resolve("lab/vmlinuz"), kernel);
        // larger than what loopback's socket buffers take at once (tcp_wmem max 4 MiB): the server still holds some
        initrd = new byte[10 << 20];
        new Random(10).nextBytes(initrd);
        Files.write(dir.resolve("lab/initrd.img"), initrd);
        StaticFiles files = new StaticFiles(dir);
        // a short request timeout, the default stall timeout: a pause in reading longer than the former is no stall
        server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 2, HttpLimits.defaults(REQUEST_TIMEOUT), files::serve);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The request http_establish() builds: no Connection header (HTTP/1.1 keep-alive), Range only on a seek. */
    static String grubRequest(String path, String version, long seekTo) {
        return "GET " + path + " HTTP/1.1\r\nHost: 10.0.100.1\r\nUser-Agent: GRUB " + version + "\r\n"
                + (seekTo >= 0 ? "Range: bytes=" + seekTo + "-\r\n" : "") + "\r\n";
    }

    /** What GRUB's parse_line() takes from a response head, and the body read after it. */
    record GrubView(int status, long contentLength, boolean chunked, String statusLine, byte[] body) {
    }

    /**
     * Reads a response as GRUB does: the head line by line (LF-terminated, trailing CR dropped), then exactly
     * Content-Length bytes; fails the test where GRUB would fail (no size, unsupported status line, chunked).
     */
    static GrubView readLikeGrub(InputStream in) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String statusLine = null;
        long size = -1;
        boolean chunked = false;
        byte[] piece = new byte[536];
        while (true) {
            int c = in.read();
            assertThat(c).as("connection closed inside the response head").isNotNegative();
            if (c != '\n') {
                line.write(c);
                continue;
            }
            String l = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            while (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            if (l.isEmpty()) {
                break;
            }
            if (statusLine == null) {
                statusLine = l;
            } else if (l.startsWith("Content-Length: ") && size < 0) {
                size = Long.parseLong(l.substring("Content-Length: ".length()).trim());
            } else if (l.startsWith("Transfer-Encoding: chunked")) {
                chunked = true;
            }
        }
        assertThat(statusLine).as("GRUB accepts only an HTTP/1.1 status line").startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(statusLine.substring(9, 12));
        assertThat(size).as("GRUB learns the size only from 'Content-Length: '").isNotNegative();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < size) {
            int n = in.read(piece, 0, (int) Math.min(piece.length, size - body.size()));
            assertThat(n).as("connection closed after %d of %d body bytes", body.size(), size).isPositive();
            body.write(piece, 0, n);
        }
        return new GrubView(status, size, chunked, statusLine, body.toByteArray());
    }

    Socket grubSocket() throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(8192); // before connect: the window GRUB's TCP offers
        s.setSoTimeout(10_000);
        s.connect(server.address());
        return s;
    }

    @Test
    void grubReadsTheWholeKernelWithItsOwnRequestAndParser() throws Exception {
        for (String version : new String[] {"2.06", "2.12"}) {
            try (Socket s = grubSocket()) {
                s.getOutputStream().write(grubRequest("/lab/vmlinuz", version, -1).getBytes(StandardCharsets.US_ASCII));
                GrubView v = readLikeGrub(s.getInputStream());
                assertThat(v.status()).as(version).isEqualTo(200);
                assertThat(v.chunked()).as(version).isFalse();
                assertThat(v.contentLength()).as(version).isEqualTo(kernel.length);
                assertThat(v.body()).as(version).isEqualTo(kernel);
            }
        }
    }

    @Test
    void grubSeeksWithANewConnectionAndAnOpenRange() throws Exception {
        // http_seek(): a new connection asking "Range: bytes=N-"; GRUB accepts 206 and keeps the size it had
        long offset = 17_408; // e.g. the legacy loader skipping the real-mode part of a bzImage
        try (Socket s = grubSocket()) {
            s.getOutputStream().write(grubRequest("/lab/vmlinuz", "2.06", offset).getBytes(StandardCharsets.US_ASCII));
            GrubView v = readLikeGrub(s.getInputStream());
            assertThat(v.status()).isEqualTo(206);
            assertThat(v.body()).isEqualTo(Arrays.copyOfRange(kernel, (int) offset, kernel.length));
        }
        try (Socket s = grubSocket()) {
            // the gzio/xzio probes read the start and seek back to 0: "bytes=0-" is the whole file as a 206
            s.getOutputStream().write(grubRequest("/lab/vmlinuz", "2.06", 0).getBytes(StandardCharsets.US_ASCII));
            GrubView v = readLikeGrub(s.getInputStream());
            assertThat(v.status()).isEqualTo(206);
            assertThat(v.body()).isEqualTo(kernel);
        }
    }

    /**
     * GRUB 2.12 under UEFI opens the initrd at its {@code initrd} command (reading the first window), then reads the
     * rest only when the kernel's EFI stub asks for it through LoadFile2 after {@code boot}: ~30 s later under TCG. The
     * agent used to close a connection after one request timeout (10 s) without write progress; GRUB then got a
     * truncated initrd and the boot hung (docs/design/uefi-boot.md, section 12). The pause here is the scenario
     * itself (a client that does not read), three request timeouts long.
     */
    @Test
    void grubPausingInTheMiddleOfAFileForLongerThanTheRequestTimeoutGetsTheRest() throws Exception {
        try (Socket s = grubSocket()) {
            s.getOutputStream().write(grubRequest("/lab/initrd.img", "2.12", -1).getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] first = new byte[8192];
            int got = in.read(first);
            assertThat(got).isPositive();
            Thread.sleep(REQUEST_TIMEOUT.multipliedBy(3).toMillis());
            assertThat(server.openConnections()).as("the paused download's connection").isEqualTo(1);
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int n;
            s.setSoTimeout(3000);
            try {
                while ((n = in.read(buf)) > 0) {
                    rest.write(buf, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // keep-alive: the server leaves the connection open after the answer
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(first, 0, got);
            all.write(rest.toByteArray());
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int bodyStart = text.indexOf("\r\n\r\n") + 4;
            byte[] body = Arrays.copyOfRange(all.toByteArray(), bodyStart, all.size());
            assertThat(body.length).as("body bytes received").isEqualTo(initrd.length);
            assertThat(Arrays.equals(body, initrd)).as("body equals the file").isTrue();
        }
    }

    /**
     * A download that keeps moving but takes several stall timeouts in all (GRUB under TCG reads a 12 MB kernel at
     * ~0.5 MB/s) must not be cut: Netty's first idle event fires one timeout after the request even when the answer
     * made progress, and the agent used to close on it, so every download longer than the timeout ended midway and
     * GRUB reported "timeout reading `/lab/vmlinuz'" (docs/design/uefi-boot.md, section 12).
     */
    /**
     * The stall timeout of the slow-download case: far above one read's pause (0.1 s), so a scheduling hiccup of the
     * loaded CI machine is no stall (700 ms failed once at load 9), and a third of the download's eight seconds.
     */
    static final Duration STEADY_STALL_TIMEOUT = Duration.ofMillis(2500);

    @Test
    void aSlowButSteadyDownloadLongerThanTheStallTimeoutIsNotCut() throws Exception {
        StaticFiles files = new StaticFiles(dir);
        try (HttpServer strict = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1,
                HttpLimits.defaults(REQUEST_TIMEOUT).withSendStallTimeout(STEADY_STALL_TIMEOUT), files::serve);
             Socket s = new Socket()) {
            s.setReceiveBufferSize(8192);
            s.setSoTimeout(10_000);
            s.connect(strict.address());
            s.getOutputStream().write(grubRequest("/lab/initrd.img", "2.06", -1).getBytes(StandardCharsets.US_ASCII));
            InputStream slow = new InputStream() {
                final InputStream in = s.getInputStream();
                long sinceNap;

                @Override
                public int read() throws java.io.IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    if (sinceNap >= 128 << 10) { // ~1.3 MB/s: the whole 10 MiB take about eight seconds, 3x the stall timeout
                        sinceNap = 0;
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException();
                        }
                    }
                    int n = in.read(b, off, len);
                    sinceNap += Math.max(n, 0);
                    return n;
                }
            };
            GrubView v = readLikeGrub(slow);
            assertThat(v.status()).isEqualTo(200);
            assertThat(v.body().length).isEqualTo(initrd.length);
            assertThat(Arrays.equals(v.body(), initrd)).as("body equals the file").isTrue();
        }
    }

    @Test
    void grubAbandoningADownloadMidwayFreesTheConnection() throws Exception {
        // http_close()/http_seek() leave a download with a FIN (GRUB_NET_TCP_ABORT) after reading only part of it
        try (Socket s = grubSocket()) {
            s.getOutputStream().write(grubRequest("/lab/vmlinuz", "2.06", -1).getBytes(StandardCharsets.US_ASCII));
            byte[] part = new byte[4096];
            assertThat(s.getInputStream().read(part)).isPositive();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }

    @Test
    void aMissingFileIsA404ThatGrubReportsAsNotFound() throws Exception {
        try (Socket s = grubSocket()) {
            s.getOutputStream().write(grubRequest("/lab/nothing", "2.06", -1).getBytes(StandardCharsets.US_ASCII));
            GrubView v = readLikeGrub(s.getInputStream());
            assertThat(v.status()).isEqualTo(404);
            assertThat(v.statusLine()).startsWith("HTTP/1.1 404");
        }
    }
}
