package io.headnode.agent.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection. It takes one complete request at a time, runs the route handler on the handler
 * executor (never on an I/O thread: a handler may write and fsync), writes the answer on the I/O thread, and lets the
 * next request in only when that answer is sent, so answers keep their order and a pipelining client costs one
 * request. A connection is in one of three phases, each with its own clock:
 * <ul>
 *   <li>waiting for a request: the whole request must arrive within the request timeout (slow senders and idle
 *       keep-alive connections are closed);</li>
 *   <li>the server holds the request (queued for a handler thread, the route running or waiting, e.g. a callback
 *       for the disk): no timer; the server's own time is never held against the client (in a storm, requests queue
 *       for the handler threads, and an idle timer closed such connections unanswered). Routes bound their own waits;</li>
 *   <li>sending the answer: closed only when no byte of it moves for the send-stall timeout (a client that stopped
 *       reading; long, because GRUB 2.12 keeps the initrd open and pauses mid-file until the kernel reads it); a slow
 *       transfer in progress is never cut by a deadline.</li>
 * </ul>
 */
final class RouteDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RouteDispatcher.class);
    private final HttpHandler handler;
    private final Executor executor;
    private final PacedRequestDecoder decoder;
    private final long requestTimeoutNanos;
    private final long sendStallNanos;
    private final IntConsumer answered;
    private ScheduledFuture<?> deadline;

    RouteDispatcher(HttpHandler handler, Executor executor, PacedRequestDecoder decoder, Duration requestTimeout, Duration sendStallTimeout,
                    IntConsumer answered) {
        this.handler = Objects.requireNonNull(handler, "handler is null");
        this.executor = Objects.requireNonNull(executor, "executor is null");
        this.decoder = Objects.requireNonNull(decoder, "decoder is null");
        this.requestTimeoutNanos = requestTimeout.toNanos();
        this.sendStallNanos = sendStallTimeout.toNanos();
        this.answered = Objects.requireNonNull(answered, "answered is null");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        nextRequest(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        cancelDeadline();
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (req.decoderResult().isFailure()) {
            LOG.debug("bad request from {}: {}", peer(ctx), req.decoderResult().cause().toString());
            respond(ctx, refusal(req.decoderResult().cause()), null, head, true, true);
            return;
        }
        if (req.protocolVersion().majorVersion() != 1 || req.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            respond(ctx, HttpResponse.fatal(400, "bad request\n"), null, head, true, true);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpRequest request = new HttpRequest(req.method().name(), req.uri(), headers(req), ByteBufUtil.getBytes(req.content()), peer(ctx));
        // the agent's own warm-up requests are not the nodes' answers: they stay out of the answer counts
        boolean counted = !HttpWarmUp.USER_AGENT.equals(request.header("user-agent"));
        try {
            executor.execute(() -> handle(ctx, request, head, keepAlive, counted));
        } catch (RejectedExecutionException e) {
            respond(ctx, HttpResponse.fatal(503, "busy\n"), null, head, true, counted);
        }
    }

    /**
     * On a handler thread: runs the route; when its answer is there (at once, or later for a route that waits, without
     * holding this thread) opens the file to send and hands the answer to the I/O thread.
     */
    private void handle(ChannelHandlerContext ctx, HttpRequest request, boolean head, boolean keepAlive, boolean counted) {
        CompletableFuture<HttpResponse> answer;
        try {
            answer = handler.handleAsync(request, executor);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((r, e) -> {
            if (e != null) {
                LOG.error("handler failed for {} {}: {}", request.method(), request.target(), e.toString());
                send(ctx, HttpResponse.fatal(500, "internal error\n"), head, keepAlive, counted);
            } else {
                send(ctx, r, head, keepAlive, counted);
            }
        });
    }

    private void send(ChannelHandlerContext ctx, HttpResponse response, boolean head, boolean keepAlive, boolean counted) {
        HttpResponse r = response;
        FileChannel file = null;
        if (r.file() != null && !head && r.length() > 0) {
            try {
                file = FileChannel.open(r.file(), StandardOpenOption.READ);
            } catch (IOException e) {
                r = HttpResponse.fatal(404, "not found\n");
            }
        }
        HttpResponse answer = r;
        FileChannel opened = file;
        try {
            ctx.executor().execute(() -> respond(ctx, answer, opened, head, !keepAlive, counted));
        } catch (RejectedExecutionException e) {
            closeQuietly(opened);
        }
    }

    /**
     * On the I/O thread: writes the answer (told to {@code answered} when {@code counted}); then closes the connection or
     * lets the next request in.
     */
    private void respond(ChannelHandlerContext ctx, HttpResponse r, FileChannel file, boolean head, boolean close, boolean counted) {
        if (!ctx.channel().isActive()) {
            closeQuietly(file);
            return;
        }
        boolean closeAfter = close || r.close();
        if (counted) {
            answered.accept(r.status());
        }
        long started = System.nanoTime();
        ChannelFuture sent = ResponseWriter.write(ctx, r, file, head, closeAfter);
        if (!sent.isDone()) {
            watchSend(ctx, sent, new SendProgress(ctx));
        }
        sent.addListener(f -> {
            if (file != null) {
                logFileAnswer(ctx, r, f.isSuccess(), started);
            }
            if (!f.isSuccess()) {
                LOG.debug("sending to {} failed: {}", peer(ctx), f.cause().toString());
                ctx.close();
            } else if (closeAfter) {
                ctx.close();
            } else {
                nextRequest(ctx);
            }
        });
    }

    /**
     * The access record of a file answer (boot loaders, kernels, initrds, images: a few per node and install), when it
     * was sent or given up: which file, to whom, how much and how long. How a node booted can be told from it.
     */
    private static void logFileAnswer(ChannelHandlerContext ctx, HttpResponse r, boolean complete, long started) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (complete) {
            LOG.info("http: sent {} to {}: status {}, {} bytes in {} ms", r.file(), peer(ctx), r.status(), r.length(), ms);
        } else {
            LOG.info("http: sending {} to {} stopped after {} ms (status {}, {} bytes to send)", r.file(), peer(ctx), ms, r.status(), r.length());
        }
    }

    private void nextRequest(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            LOG.debug("closing slow or idle connection from {}", peer(ctx));
            ctx.close();
        }, requestTimeoutNanos, TimeUnit.NANOSECONDS);
        if (!decoder.resume()) {
            ctx.read();
        }
    }

    /**
     * While {@code sent} is not done: every send-stall timeout, closes the connection if not one byte of the answer moved
     * since the last look (the client stopped reading). Bytes count as moved when the socket took them.
     */
    private void watchSend(ChannelHandlerContext ctx, ChannelFuture sent, SendProgress progress) {
        ctx.executor().schedule(() -> {
            if (sent.isDone() || !ctx.channel().isActive()) {
                return;
            }
            if (!progress.moved()) {
                LOG.debug("closing connection from {}: its answer made no progress for {} ms", peer(ctx), sendStallNanos / 1_000_000);
                ctx.close();
                return;
            }
            watchSend(ctx, sent, progress);
        }, sendStallNanos, TimeUnit.NANOSECONDS);
    }

    /** What of the answer is still to send, as the channel's outbound buffer tells it; used on the I/O thread only. */
    private static final class SendProgress {
        private final ChannelHandlerContext ctx;
        private Object current;
        private long progress;
        private long pending;

        SendProgress(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            moved();
        }

        /** True if the socket took bytes since the last call. */
        boolean moved() {
            ChannelOutboundBuffer buf = ctx.channel().unsafe().outboundBuffer();
            if (buf == null) {
                return true;   // closing
            }
            Object c = buf.current();
            long p = buf.currentProgress();
            long n = buf.totalPendingWriteBytes();
            boolean moved = c != current || p != progress || n != pending;
            current = c;
            progress = p;
            pending = n;
            return moved;
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Error) {
            // e.g. direct memory past -XX:MaxDirectMemorySize: this connection is dropped, the server goes on
            LOG.warn("connection from {} dropped: {}", peer(ctx), cause.toString());
        } else {
            LOG.debug("connection from {} dropped: {}", peer(ctx), cause.toString());
        }
        ctx.close();
    }

    /** The answer to a request the codec could not decode. */
    static HttpResponse refusal(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponse.fatal(414, "request line too long\n");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponse.fatal(431, "request head too large\n");
        }
        if (cause instanceof TooLongHttpContentException) {
            return HttpResponse.fatal(413, "body too large\n");
        }
        if (cause instanceof PacedRequestDecoder.ServerBusyException) {
            return HttpResponse.fatal(503, "busy\n");
        }
        return HttpResponse.fatal(400, "bad request\n");
    }

    private static Map<String, String> headers(FullHttpRequest req) {
        Map<String, String> m = new HashMap<>();
        for (Map.Entry<String, String> e : req.headers()) {
            m.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        return m;
    }

    private static String peer(ChannelHandlerContext ctx) {
        InetSocketAddress a = (InetSocketAddress) ctx.channel().remoteAddress();
        return a == null ? "?" : a.getAddress().getHostAddress();
    }

    private static void closeQuietly(FileChannel file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debug("file close: {}", e.toString());
            }
        }
    }
}
