package io.headnode.agent.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on NIO: one acceptor, N selector threads, keep-alive, files sent zero-copy with
 * {@link FileChannel#transferTo} (sendfile). Defensive by construction: request head at most 8 KiB, body at most
 * 4 KiB, no chunked uploads, and a whole request must arrive within the request timeout (slow senders are
 * disconnected). Small fixed buffers per connection keep the heap small under a boot storm.
 */
public final class HttpServer implements AutoCloseable {
    static final int MAX_HEAD = 8192;
    static final int MAX_BODY = 4096;
    private static final long SEND_BUDGET = 4L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private final ServerSocketChannel server;
    private final HttpHandler handler;
    private final long timeoutNanos;
    private final List<Worker> workers = new ArrayList<>();
    private final Thread acceptor;
    private final int maxConnections;
    private volatile boolean running = true;

    public HttpServer(InetSocketAddress bind, int threads, Duration requestTimeout, HttpHandler handler) throws IOException {
        this(bind, threads, requestTimeout, handler, 4096);
    }

    /** As above, closing new connections at once while {@code maxConnections} are open. */
    public HttpServer(InetSocketAddress bind, int threads, Duration requestTimeout, HttpHandler handler, int maxConnections) throws IOException {
        this.handler = Objects.requireNonNull(handler, "handler is null");
        this.maxConnections = maxConnections;
        this.timeoutNanos = requestTimeout.toNanos();
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(bind, 1024);
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker(i);
            workers.add(w);
            w.thread.start();
        }
        acceptor = new Thread(this::acceptLoop, "http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("HTTP server listening on {}", server.getLocalAddress());
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptLoop() {
        int next = 0;
        while (running) {
            try {
                SocketChannel ch = server.accept();
                if (openConnections() >= maxConnections) {
                    ch.close();
                    continue;
                }
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Worker w = workers.get(next++ % workers.size());
                w.incoming.add(ch);
                w.selector.wakeup();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (running) {
                    LOG.warn("accept failed: {}", e.toString());
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("close: {}", e.toString());
        }
        for (Worker w : workers) {
            w.selector.wakeup();
            try {
                w.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public int openConnections() {
        return workers.stream().mapToInt(w -> w.open.get()).sum();
    }

    private final class Worker implements Runnable {
        final Selector selector;
        final Thread thread;
        final ConcurrentLinkedQueue<SocketChannel> incoming = new ConcurrentLinkedQueue<>();
        final AtomicInteger open = new AtomicInteger();
        long lastSweep = System.nanoTime();

        Worker(int i) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, "http-io-" + i);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                try {
                    selector.select(500);
                    SocketChannel ch;
                    while ((ch = incoming.poll()) != null) {
                        try {
                            Conn c = new Conn(ch, this);
                            c.key = ch.register(selector, SelectionKey.OP_READ, c);
                            open.incrementAndGet();
                        } catch (IOException e) {
                            ch.close();
                        }
                    }
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        Conn c = (Conn) k.attachment();
                        try {
                            if (k.isValid() && k.isReadable()) {
                                c.onRead();
                            }
                            if (k.isValid() && k.isWritable()) {
                                c.onWrite();
                            }
                        } catch (IOException | RuntimeException e) {
                            LOG.debug("connection from {} dropped: {}", c.remote, e.toString());
                            c.close();
                        }
                    }
                    long now = System.nanoTime();
                    if (now - lastSweep > 250_000_000L) {
                        lastSweep = now;
                        for (SelectionKey k : selector.keys()) {
                            Conn c = (Conn) k.attachment();
                            if (c != null && now - c.deadline > 0) {
                                LOG.debug("closing slow or idle connection from {}", c.remote);
                                c.close();
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("HTTP worker: {}", e.toString());
                }
            }
            for (SelectionKey k : selector.keys()) {
                ((Conn) k.attachment()).close();
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("selector close: {}", e.toString());
            }
        }
    }

    private final class Conn {
        final SocketChannel ch;
        final Worker worker;
        final String remote;
        final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD + MAX_BODY);
        SelectionKey key;
        long deadline;
        boolean writing;
        ByteBuffer out;
        FileChannel file;
        long filePos;
        long fileRemaining;
        boolean closeAfter;
        boolean closed;

        Conn(SocketChannel ch, Worker worker) throws IOException {
            this.ch = ch;
            this.worker = worker;
            InetSocketAddress r = (InetSocketAddress) ch.getRemoteAddress();
            this.remote = r.getAddress().getHostAddress();
            this.deadline = System.nanoTime() + timeoutNanos;
        }

        void onRead() throws IOException {
            int n = ch.read(in);
            if (n < 0) {
                close();
                return;
            }
            process();
        }

        /** Parses and answers as many complete requests as the buffer holds (pipelining). */
        void process() throws IOException {
            while (!writing && !closed) {
                int headEnd = headEnd();
                if (headEnd > MAX_HEAD) {
                    respond(HttpResponse.fatal(431, "request head too large\n"), false);
                    return;
                }
                if (headEnd < 0) {
                    if (in.position() >= MAX_HEAD) {
                        respond(HttpResponse.fatal(431, "request head too large\n"), false);
                    }
                    return;
                }
                Parsed p = parseHead(headEnd);
                if (p.error != null) {
                    respond(p.error, false);
                    return;
                }
                int total = headEnd + p.contentLength;
                if (in.position() < total) {
                    return;
                }
                byte[] body = new byte[p.contentLength];
                System.arraycopy(in.array(), headEnd, body, 0, p.contentLength);
                int rest = in.position() - total;
                System.arraycopy(in.array(), total, in.array(), 0, rest);
                in.position(rest);
                HttpRequest req = new HttpRequest(p.method, p.target, p.headers, body, remote);
                HttpResponse resp;
                try {
                    resp = handler.handle(req);
                } catch (RuntimeException e) {
                    LOG.error("handler failed for {} {}: {}", p.method, p.target, e.toString());
                    resp = HttpResponse.fatal(500, "internal error\n");
                }
                respond(resp, false, p.method.equals("HEAD"), p.keepAlive);
            }
        }

        private int headEnd() {
            byte[] a = in.array();
            for (int i = 3; i < in.position(); i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        private void respond(HttpResponse r, boolean forceClose) throws IOException {
            respond(r, forceClose, false, false);
        }

        private void respond(HttpResponse r, boolean forceClose, boolean head, boolean keepAlive) throws IOException {
            closeAfter = forceClose || r.close() || !keepAlive;
            StringBuilder h = new StringBuilder(256);
            h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
            h.append("Server: headnode-agent\r\n");
            h.append("Content-Type: ").append(r.contentType()).append("\r\n");
            h.append("Content-Length: ").append(r.contentLength()).append("\r\n");
            if (r.file() != null || r.status() == 416) {
                h.append("Accept-Ranges: bytes\r\n");
            }
            if (r.status() == 206) {
                h.append("Content-Range: bytes ").append(r.offset()).append('-').append(r.offset() + r.length() - 1).append('/').append(r.totalLength()).append("\r\n");
            } else if (r.status() == 416) {
                h.append("Content-Range: bytes */").append(r.totalLength()).append("\r\n");
            }
            h.append(closeAfter ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
            h.append("\r\n");
            byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
            if (r.body() != null && !head) {
                out = ByteBuffer.allocate(hb.length + r.body().length).put(hb).put(r.body()).flip();
            } else {
                out = ByteBuffer.wrap(hb);
            }
            if (r.file() != null && !head && r.length() > 0) {
                try {
                    file = FileChannel.open(r.file(), StandardOpenOption.READ);
                } catch (IOException e) {
                    out = ByteBuffer.wrap("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    closeAfter = true;
                }
                filePos = r.offset();
                fileRemaining = r.length();
            }
            writing = true;
            key.interestOps(SelectionKey.OP_WRITE);
            deadline = System.nanoTime() + timeoutNanos;
            onWrite();
        }

        void onWrite() throws IOException {
            if (!writing) {
                return;
            }
            if (out != null && out.hasRemaining()) {
                ch.write(out);
                if (out.hasRemaining()) {
                    deadline = System.nanoTime() + timeoutNanos;
                    return;
                }
            }
            long budget = SEND_BUDGET;
            while (file != null && fileRemaining > 0 && budget > 0) {
                long n = file.transferTo(filePos, Math.min(fileRemaining, budget), ch);
                if (n <= 0) {
                    break;
                }
                filePos += n;
                fileRemaining -= n;
                budget -= n;
            }
            deadline = System.nanoTime() + timeoutNanos;
            if (file != null && fileRemaining > 0) {
                return;
            }
            finishResponse();
        }

        private void finishResponse() throws IOException {
            closeFile();
            out = null;
            writing = false;
            if (closeAfter) {
                close();
                return;
            }
            key.interestOps(SelectionKey.OP_READ);
            deadline = System.nanoTime() + timeoutNanos;
            process();
        }

        private void closeFile() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    LOG.debug("file close: {}", e.toString());
                }
                file = null;
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            closeFile();
            worker.open.decrementAndGet();
            if (key != null) {
                key.cancel();
            }
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("close: {}", e.toString());
            }
        }

        private Parsed parseHead(int headEnd) {
            String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            String[] rl = lines[0].split(" ", -1);
            Parsed p = new Parsed();
            if (rl.length != 3 || !rl[2].startsWith("HTTP/1.") || rl[1].isEmpty()) {
                p.error = HttpResponse.fatal(400, "bad request line\n");
                return p;
            }
            p.method = rl[0];
            p.target = rl[1];
            if (p.target.length() > 2048) {
                p.error = HttpResponse.fatal(414, "target too long\n");
                return p;
            }
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                int colon = lines[i].indexOf(':');
                if (colon <= 0 || lines[i].charAt(0) == ' ' || lines[i].charAt(0) == '\t') {
                    p.error = HttpResponse.fatal(400, "bad header\n");
                    return p;
                }
                String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
                if (headers.put(name, lines[i].substring(colon + 1).strip()) != null && (name.equals("content-length") || name.equals("host"))) {
                    p.error = HttpResponse.fatal(400, "duplicate " + name + "\n");
                    return p;
                }
            }
            p.headers = headers;
            if (headers.containsKey("transfer-encoding")) {
                p.error = HttpResponse.fatal(501, "transfer-encoding not supported\n");
                return p;
            }
            String cl = headers.get("content-length");
            if (cl != null) {
                if (!cl.matches("[0-9]{1,9}")) {
                    p.error = HttpResponse.fatal(400, "bad content-length\n");
                    return p;
                }
                p.contentLength = Integer.parseInt(cl);
                if (p.contentLength > MAX_BODY) {
                    p.error = HttpResponse.fatal(413, "body too large\n");
                    return p;
                }
            }
            String conn = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            p.keepAlive = rl[2].equals("HTTP/1.1") ? !conn.contains("close") : conn.contains("keep-alive");
            return p;
        }
    }

    private static final class Parsed {
        String method;
        String target;
        Map<String, String> headers = Map.of();
        int contentLength;
        boolean keepAlive;
        HttpResponse error;
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 206 -> "Partial Content";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 416 -> "Range Not Satisfiable";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
