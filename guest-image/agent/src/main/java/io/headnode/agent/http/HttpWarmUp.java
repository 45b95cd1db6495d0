package io.headnode.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server's first requests, sent by the agent itself right after it binds, so that no node meets a cold server.
 * Under TCG the agent's very first answer took 11.7 s (class loading and the interpreter on an emulated CPU, the
 * machine at load 46), the second 1.1 s; OVMF's HTTP boot gives up on an answer after 5 s and does not retry, so a
 * node whose HTTP boot was the head node's first HTTP request never booted (docs/design/uefi-boot.md, 13.3).
 * Each request is {@code Connection: close}; at most {@link #MAX_BYTES} of an answer are read. Never throws: a
 * failure is reported in the result, and the server serves regardless.
 */
public final class HttpWarmUp {
    /** The user agent of the warm-up's requests: the server leaves their answers out of its counts (metrics). */
    public static final String USER_AGENT = "headnode-agent-warm-up";
    /** The most bytes read of one answer (the warm-up asks for small files; the rest is not read). */
    static final int MAX_BYTES = 1 << 20;

    /** One request to send: a method (GET or HEAD) and an absolute path. */
    public record Request(String method, String path) {
        public Request {
            Objects.requireNonNull(method, "method is null");
            Objects.requireNonNull(path, "path is null");
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw new IllegalArgumentException("warm-up method must be GET or HEAD, not " + method);
            }
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw new IllegalArgumentException("warm-up path must be an absolute path of printable ASCII: " + path);
            }
        }
    }

    /** What the warm-up got: each request's status line (or its failure), and how long all of it took. */
    public record Result(List<String> answers, Duration took, boolean complete) {
        public Result {
            answers = List.copyOf(answers);
            Objects.requireNonNull(took, "took is null");
        }
    }

    private HttpWarmUp() {
    }

    /** Sends {@code requests} one after the other to {@code server}, all within {@code timeout}. */
    public static Result run(InetSocketAddress server, List<Request> requests, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<String> answers = new ArrayList<>();
        boolean complete = true;
        for (Request r : requests) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                answers.add(r.method() + " " + r.path() + ": not sent, the warm-up's " + timeout.toMillis() + " ms were over");
                complete = false;
                continue;
            }
            try {
                answers.add(r.method() + " " + r.path() + ": " + send(server, r, (int) Math.min(leftMs, Integer.MAX_VALUE)));
            } catch (IOException e) {
                answers.add(r.method() + " " + r.path() + ": " + e);
                complete = false;
            }
        }
        return new Result(answers, Duration.ofNanos(System.nanoTime() - start), complete);
    }

    /** The answer's status line; reads the rest (bounded) so the whole answer path ran. */
    private static String send(InetSocketAddress server, Request r, int timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write((r.method() + " " + r.path() + " HTTP/1.1\r\nHost: " + server.getAddress().getHostAddress()
                    + "\r\nUser-Agent: " + USER_AGENT + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            boolean lineDone = false;
            byte[] buf = new byte[8192];
            int total = 0;
            int n;
            while (total < MAX_BYTES && (n = in.read(buf)) > 0) {
                for (int i = 0; i < n && !lineDone; i++) {
                    if (buf[i] == '\r' || buf[i] == '\n' || statusLine.length() >= 200) {
                        lineDone = true;
                    } else {
                        statusLine.append((char) (buf[i] & 0xff));
                    }
                }
                total += n;
            }
            if (statusLine.isEmpty()) {
                throw new IOException("no answer");
            }
            return statusLine.toString();
        }
    }
}
