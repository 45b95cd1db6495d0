package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NIO server on loopback, spoken to with raw sockets so malformed and slow requests can be sent. */
class HttpServerTest {
    @TempDir
    Path dir;
    HttpServer server;
    byte[] big;

    @BeforeEach
    void start() throws Exception {
        big = new byte[3 << 20];
        new Random(1).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        StaticFiles files = new StaticFiles(dir);
        server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 2, Duration.ofMillis(2000), req ->
                req.path().equals("/echo") ? HttpResponse.text(200, req.method() + " " + req.body().length + " " + req.remoteAddress()) : files.serve(req));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Socket connect() throws Exception {
        Socket s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(5000);
        return s;
    }

    static String send(Socket s, String raw) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return readAll(s.getInputStream());
    }

    static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // keep-alive connection left open
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void servesWholeFileAndRangeOverOneKeepAliveConnectionWithPipelining() throws Exception {
        try (Socket s = connect()) {
            s.setSoTimeout(1500);
            String r = send(s, "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-199\r\n\r\nHEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r).startsWith("HTTP/1.1 206 Partial Content\r\n").contains("Content-Range: bytes 100-199/" + big.length);
            int firstBody = r.indexOf("\r\n\r\n") + 4;
            assertThat(r.substring(firstBody, firstBody + 100).getBytes(StandardCharsets.ISO_8859_1))
                    .isEqualTo(java.util.Arrays.copyOfRange(big, 100, 200));
            String rest = r.substring(firstBody + 100);
            assertThat(rest).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + big.length);
            int third = rest.indexOf("HTTP/1.1 200 OK", 10);
            String last = rest.substring(third);
            assertThat(last).contains("Connection: close");
            byte[] body = last.substring(last.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
            assertThat(body).isEqualTo(big);
        }
    }

    @Test
    void eachFileSentIsRecordedWithItsClientSizeAndStatusAndNothingElseIs() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RouteDispatcher.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);   // the tests' logback config logs WARN and above
        logger.addAppender(log);
        try (Socket s = connect()) {
            s.setSoTimeout(1500);
            String r = send(s, "HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\nGET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(r).contains("HTTP/1.1 206").endsWith(new String(big, StandardCharsets.ISO_8859_1).substring(big.length - 100));
            await().atMost(Duration.ofSeconds(5)).until(() -> log.list.size() >= 2);
        } finally {
            logger.detachAppender(log);
            logger.setLevel(level);
        }
        Path file = dir.resolve("big.bin").toRealPath();
        assertThat(log.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .as("one line per file answer with a body (the HEAD and the text answer have none)")
                .hasSize(2)
                .satisfiesExactly(
                        l -> assertThat(l).matches("http: sent " + java.util.regex.Pattern.quote(file.toString()) + " to 127\\.0\\.0\\.1: status 206, 10 bytes in \\d+ ms"),
                        l -> assertThat(l).matches("http: sent " + java.util.regex.Pattern.quote(file.toString()) + " to 127\\.0\\.0\\.1: status 200, "
                                + big.length + " bytes in \\d+ ms"));
        assertThat(log.list).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO));
    }

    @Test
    void malformedOversizedAndChunkedRequestsAreRefusedAndClosed() throws Exception {
        try (Socket s = connect()) {
            assertThat(send(s, "GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400");
        }
        try (Socket s = connect()) {
            assertThat(send(s, "GET /x HTTP/1.1\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n")).startsWith("HTTP/1.1 431");
        }
        try (Socket s = connect()) {
            assertThat(send(s, "POST /echo HTTP/1.1\r\nContent-Length: 5000\r\n\r\n")).startsWith("HTTP/1.1 413").contains("Connection: close");
        }
        try (Socket s = connect()) {
            assertThat(send(s, "GET /x HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n")).startsWith("HTTP/1.1 400");
        }
        try (Socket s = connect()) {
            assertThat(send(s, "GET /x HTTP/1.1\r\n" + "a:b\r\n".repeat(65) + "\r\n")).startsWith("HTTP/1.1 431");
        }
        try (Socket s = connect()) {
            assertThat(send(s, "GET /" + "a".repeat(3000) + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 414");
        }
        try (Socket s = connect()) {
            String chunks = "800\r\n" + "a".repeat(2048) + "\r\n";
            assertThat(send(s, "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks.repeat(3) + "0\r\n\r\n")).startsWith("HTTP/1.1 413");
        }
        try (Socket s = connect()) {
            assertThat(send(s, "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
                    .startsWith("HTTP/1.1 200").endsWith("POST 5 127.0.0.1");
        }
        try (Socket s = connect()) {
            assertThat(send(s, "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")).startsWith("HTTP/1.1 400");
        }
        try (Socket s = connect()) {
            assertThat(send(s, "POST /echo HTTP/1.1\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd")).startsWith("HTTP/1.1 200").endsWith("POST 4 127.0.0.1");
        }
    }

    @Test
    void manyConcurrentDownloadsAllGetTheRightBytes() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(24);
        try {
            java.util.List<java.util.concurrent.Future<byte[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 48; i++) {
                results.add(pool.submit(() -> {
                    java.net.HttpURLConnection c = (java.net.HttpURLConnection)
                            new java.net.URL("http://127.0.0.1:" + server.address().getPort() + "/big.bin").openConnection();
                    c.setReadTimeout(20000);
                    try (InputStream in = c.getInputStream()) {
                        assertThat(c.getResponseCode()).isEqualTo(200);
                        return in.readAllBytes();
                    }
                }));
            }
            byte[] want = java.security.MessageDigest.getInstance("SHA-256").digest(big);
            for (java.util.concurrent.Future<byte[]> f : results) {
                assertThat(java.security.MessageDigest.getInstance("SHA-256").digest(f.get(60, java.util.concurrent.TimeUnit.SECONDS))).isEqualTo(want);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        try (HttpServer small = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1, HttpLimits.defaults(Duration.ofSeconds(5)).withConnections(1, 1),
                r -> HttpResponse.text(200, "ok"));
             Socket first = new Socket("127.0.0.1", small.address().getPort())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> small.openConnections() == 1);
            try (Socket second = new Socket("127.0.0.1", small.address().getPort())) {
                second.setSoTimeout(2000);
                second.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readAll(second.getInputStream())).isEmpty();
            } catch (java.net.SocketException e) {
                // reset by the server: also refused
            }
            first.setSoTimeout(2000);
            assertThat(send(first, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void slowOrIdleClientsAreDisconnected() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            String r = send(s, "GET /big.bin HTTP/1.1\r\nHost: x\r\n");
            assertThat(r).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }

    @Test
    void aClientThatStopsReadingADownloadIsDropped() throws Exception {
        StaticFiles files = new StaticFiles(dir);
        try (HttpServer stalls = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1,
                HttpLimits.defaults(Duration.ofMillis(2000)).withSendStallTimeout(Duration.ofSeconds(3)), files::serve);
             Socket s = new Socket()) {
            s.setReceiveBufferSize(16 << 10);
            s.connect(stalls.address());
            s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> stalls.openConnections() == 1);
            // never reads: the send stalls, and no write progress for the stall timeout closes the connection
            await().atMost(Duration.ofSeconds(15)).until(() -> stalls.openConnections() == 0);
        }
    }

    @Test
    void oneEmptyLineBeforeARequestIsTolerated() throws Exception {
        try (Socket s = connect()) {
            String r = send(s, "POST /echo HTTP/1.1\r\nContent-Length: 2\r\n\r\nab\r\nGET /echo HTTP/1.1\r\nConnection: close\r\n\r\n");
            assertThat(r).startsWith("HTTP/1.1 200").contains("POST 2 127.0.0.1").endsWith("GET 0 127.0.0.1");
        }
    }

    @Test
    void eachAddressHasItsOwnCapUnderTheTotalCap() throws Exception {
        try (HttpServer small = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1, HttpLimits.defaults(Duration.ofSeconds(5)).withConnections(3, 2),
                r -> HttpResponse.text(200, "ok"))) {
            java.util.List<Socket> held = new java.util.ArrayList<>();
            try {
                for (String from : new String[] {"127.0.0.1", "127.0.0.1", "127.0.0.2"}) {
                    held.add(connectFrom(from, small));
                    int n = held.size();
                    await().atMost(Duration.ofSeconds(5)).until(() -> small.openConnections() == n);
                }
                // a third from 127.0.0.1 is over its address cap, one from 127.0.0.3 over the total cap: both closed at once
                for (String from : new String[] {"127.0.0.1", "127.0.0.3"}) {
                    try (Socket refused = connectFrom(from, small)) {
                        refused.setSoTimeout(5000);
                        refused.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        assertThat(readAll(refused.getInputStream())).isEmpty();
                    } catch (java.net.SocketException e) {
                        // reset by the server: also refused
                    }
                }
                held.remove(0).close();
                await().atMost(Duration.ofSeconds(5)).until(() -> small.openConnections() == 2);
                try (Socket admitted = connectFrom("127.0.0.3", small)) {
                    admitted.setSoTimeout(5000);
                    assertThat(send(admitted, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void slowSendersAtOneAddressCannotTakeAllRequestSlots() throws Exception {
        // 32 requests in progress at most, 2 per address
        try (HttpServer small = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1,
                HttpLimits.defaults(Duration.ofSeconds(10)).withRequestsInProgress(32), r -> HttpResponse.text(200, "ok"));
             LoopbackFlood slow = LoopbackFlood.open(small.address(), 2, 1, LoopbackFlood.head(200, false))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> small.openConnections() == 2);
            try (Socket third = connectFrom("127.0.0.1", small)) {
                third.setSoTimeout(5000);
                assertThat(send(third, "GET / HTTP/1.1\r\nHost: x\r\n")).startsWith("HTTP/1.1 503");
            }
            assertThat(LoopbackFlood.fetch("127.0.0.2", small.address(), "/")).isEqualTo(200);
            assertThat(slow.closedByServer()).isZero();
        }
    }

    private static Socket connectFrom(String address, HttpServer to) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(address, 0));
        s.connect(to.address(), 5000);
        return s;
    }

    /**
     * A request the server itself takes longer than the request timeout to answer (queued behind others for the
     * handler threads in a storm, or a callback waiting for the disk) is answered: no timer runs while the server
     * holds a request. The storm saw such connections closed unanswered (the idle timer counted the server's own time).
     */
    @Test
    void anAnswerThatTakesLongerThanTheRequestTimeoutIsStillSent() throws Exception {
        java.util.concurrent.CompletableFuture<HttpResponse> later = new java.util.concurrent.CompletableFuture<>();
        try (HttpServer slow = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1, Duration.ofMillis(300), new HttpHandler() {
            @Override
            public HttpResponse handle(HttpRequest req) {
                return later.join();
            }

            @Override
            public java.util.concurrent.CompletableFuture<HttpResponse> handleAsync(HttpRequest req) {
                return later;
            }
        }); Socket s = new Socket("127.0.0.1", slow.address().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            // five request timeouts pass while the answer is not there yet
            java.util.concurrent.CompletableFuture.delayedExecutor(1500, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(() -> later.complete(HttpResponse.text(200, "late\n")));
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("late\n");
        }
    }

    /**
     * A slow but steady reader (one of a thousand clients sharing a link) gets the whole download although it takes
     * about eight times the stall limit (the request timeout, 300 ms here): its bytes keep moving, and neither the
     * request deadline nor the stall limit may cut a transfer in progress.
     */
    @Test
    void aSlowSteadyReaderGetsTheWholeDownload() throws Exception {
        try (HttpServer strict = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1, Duration.ofMillis(300), new StaticFiles(dir)::serve);
             Socket s = new Socket()) {
            s.setReceiveBufferSize(32 << 10);
            s.connect(strict.address());
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: bytes=0-786431\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[16 << 10];
            int n;
            while ((n = in.read(buf)) > 0) {   // ~320 KiB/s: 768 KiB in ~2.5 s
                got.write(buf, 0, n);
                Thread.sleep(50);
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 206");
            assertThat(got.size() - text.indexOf("\r\n\r\n") - 4).isEqualTo(786432);
        }
    }

    /** The install callback waits for the disk: such an answer holds no handler thread (there are 4) while it waits. */
    @Test
    void answersThatComeLaterHoldNoHandlerThread() throws Exception {
        java.util.concurrent.CompletableFuture<HttpResponse> later = new java.util.concurrent.CompletableFuture<>();
        HttpServer waiting = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 2, Duration.ofMillis(5000), new HttpHandler() {
            @Override
            public HttpResponse handle(HttpRequest req) {
                return HttpResponse.text(200, "at once\n");
            }

            @Override
            public java.util.concurrent.CompletableFuture<HttpResponse> handleAsync(HttpRequest req) {
                return req.path().equals("/wait") ? later : java.util.concurrent.CompletableFuture.completedFuture(handle(req));
            }
        });
        java.util.List<Socket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Socket s = new Socket("127.0.0.1", waiting.address().getPort());
                s.setSoTimeout(3000);
                s.getOutputStream().write("POST /wait HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                held.add(s);
            }
            try (Socket s = new Socket("127.0.0.1", waiting.address().getPort())) {
                s.setSoTimeout(3000);
                assertThat(send(s, "GET /now HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200").endsWith("at once\n");
            }
            later.complete(HttpResponse.text(200, "later\n"));
            for (Socket s : held) {
                assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("later\n");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
            waiting.close();
        }
    }
}
