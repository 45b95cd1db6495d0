package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defect classes a security review found in the agent's first (hand-written NIO) server, each against the real
 * server on loopback with raw sockets: a flood of idle connections from one address, a pipelined burst, a file that
 * shrinks while it is sent, a bare CRLF CRLF and whitespace before a header colon.
 */
class HttpServerHostileTest {
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) [^\r]*\r\n");
    @TempDir
    Path dir;
    HttpServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("small.txt"), "hello\n");
        StaticFiles files = new StaticFiles(dir);
        server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 2, Duration.ofSeconds(5), req -> {
            if (req.path().startsWith("/echo/")) {
                return HttpResponse.text(200, req.target());
            }
            return files.serve(req);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int port() {
        return server.address().getPort();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port());
        s.setSoTimeout(5000);
        return s;
    }

    private static String exchange(Socket s, String raw) throws IOException {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // the connection stayed open: what was read so far is the answer
        } catch (IOException e) {
            // reset by the server: what was read so far is the answer
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bareCrlfCrlfIsAnswered400() throws Exception {
        try (Socket s = connect()) {
            assertThat(exchange(s, "\r\n\r\n")).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void whitespaceBeforeAHeaderColonIsAnswered400() throws Exception {
        try (Socket s = connect()) {
            assertThat(exchange(s, "GET /small.txt HTTP/1.1\r\nHost : x\r\n\r\n")).startsWith("HTTP/1.1 400");
        }
        try (Socket s = connect()) {
            assertThat(exchange(s, "GET /small.txt HTTP/1.1\r\nHost: x\r\nRange\t: bytes=0-1\r\n\r\n")).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twentyThousandPipelinedRequestsAreAllAnsweredInOrder() throws Exception {
        // A server that recursed once per pipelined request on its I/O thread (the hand-written one did) overflows
        // that thread's stack long before 20,000; the depth cannot be read from a route handler, which runs on the
        // handler pool, so the burst's size is the check.
        int n = 20_000;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < n; i++) {
            burst.append("GET /echo/").append(i).append(" HTTP/1.1\r\n").append(i == n - 1 ? "Connection: close\r\n" : "").append("\r\n");
        }
        try (Socket s = connect()) {
            s.setSoTimeout(30_000);
            byte[] raw = burst.toString().getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(raw);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            writer.get(30, TimeUnit.SECONDS);
            List<String> bodies = new ArrayList<>();
            Matcher m = STATUS.matcher(all);
            int at = 0;
            while (m.find(at)) {
                assertThat(m.group(1)).isEqualTo("200");
                int headEnd = all.indexOf("\r\n\r\n", m.end()) + 4;
                Matcher len = Pattern.compile("(?i)content-length: (\\d+)").matcher(all.substring(m.end(), headEnd));
                assertThat(len.find()).isTrue();
                int bodyEnd = headEnd + Integer.parseInt(len.group(1));
                bodies.add(all.substring(headEnd, bodyEnd));
                at = bodyEnd;
            }
            assertThat(bodies).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(bodies.get(i)).isEqualTo("/echo/" + i);
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aFileThatShrinksWhileSentEndsTheConnectionAndIsReleased() throws Exception {
        Path big = dir.resolve("big.bin");
        long size = 48L << 20;
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size);
        }
        try (Socket s = connect()) {
            s.setReceiveBufferSize(64 << 10);
            s.setSoTimeout(15_000);
            s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            long got = in.read(buf);
            assertThat(new String(buf, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
            // the server is blocked on a full socket well before the end; now the file shrinks under it
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
                f.setLength(1 << 20);
            }
            for (int n; (n = in.read(buf)) > 0; ) {
                got += n;
            }
            assertThat(got).isLessThan(size);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> !holdsOpen(big));
        try (Socket s = connect()) {
            assertThat(exchange(s, "GET /small.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200").endsWith("hello\n");
        }
    }

    /** Whether this process holds {@code file} open (a busy send loop would). */
    private static boolean holdsOpen(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fourThousandIdleConnectionsFromOneAddressLeaveOtherClientsServed() throws Exception {
        try (LoopbackFlood flood = LoopbackFlood.open(server.address(), 4096, 1, new byte[0])) {
            assertThat(LoopbackFlood.fetch("127.0.0.2", server.address(), "/small.txt")).isEqualTo(200);
            // the per-address cap closed most of the flood: the total cap stays free for other clients
            await().atMost(Duration.ofSeconds(10)).until(() -> flood.closedByServer() >= 4096 - HttpLimits.defaults(Duration.ofSeconds(1)).maxPerAddress());
            assertThat(server.openConnections()).isLessThanOrEqualTo(HttpLimits.defaults(Duration.ofSeconds(1)).maxPerAddress());
            assertThat(LoopbackFlood.fetch("127.0.0.2", server.address(), "/small.txt")).isEqualTo(200);
        }
    }
}
