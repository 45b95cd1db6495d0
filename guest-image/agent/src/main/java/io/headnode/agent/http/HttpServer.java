package io.headnode.agent.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP/1.1 server, on Netty (codec-http, handler): one acceptor thread, {@code threads} I/O threads,
 * keep-alive and pipelining (one request at a time per connection, answers in order), files sent zero-copy as
 * file regions (sendfile), route handlers on their own bounded pool. Defensive by construction: limits on request
 * line, headers and body, a request deadline and an idle timeout, a total and a per-address connection cap (see
 * {@link HttpLimits}); memory stays bounded at the cap.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /**
     * Unpooled on purpose: a waiting connection holds no buffer, a request needs one small receive buffer for a moment
     * and a file needs none (sendfile), so a pool's per-thread arenas and caches would only add resident memory.
     */
    private static final ByteBufAllocator ALLOCATOR = new UnpooledByteBufAllocator(true);
    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final ThreadPoolExecutor handlers;
    private final AddressLimiter limiter;
    private final Channel channel;

    /** A server with the agent's default limits ({@link HttpLimits#defaults}). */
    public HttpServer(InetSocketAddress bind, int threads, Duration requestTimeout, HttpHandler handler) throws IOException {
        this(bind, threads, HttpLimits.defaults(requestTimeout), handler);
    }

    public HttpServer(InetSocketAddress bind, int threads, HttpLimits limits, HttpHandler handler) throws IOException {
        this(bind, threads, limits, handler, status -> { });
    }

    /** As above; {@code answered} is told the status of every answer sent (for metrics), on an I/O thread: it must not block. */
    public HttpServer(InetSocketAddress bind, int threads, HttpLimits limits, HttpHandler handler, IntConsumer answered) throws IOException {
        Objects.requireNonNull(bind, "bind is null");
        Objects.requireNonNull(limits, "limits is null");
        Objects.requireNonNull(handler, "handler is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        limiter = new AddressLimiter(limits.maxConnections(), limits.maxPerAddress());
        acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("http-accept", true));
        io = new NioEventLoopGroup(threads, new DefaultThreadFactory("http-io", true));
        // at most one request per connection is in flight, so a queue as long as the connection cap never overflows
        handlers = new ThreadPoolExecutor(limits.handlerThreads(), limits.handlerThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(limits.maxConnections()), new DefaultThreadFactory("http-handler", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 1024, 8192))
                .childHandler(new HttpPipeline(limits, limiter, new AddressLimiter(limits.maxRequestsInProgress(),
                        limits.maxRequestsInProgressPerAddress()), handler, handlers, Objects.requireNonNull(answered, "answered is null")));
        try {
            channel = b.bind(bind).syncUninterruptibly().channel();
        } catch (Exception e) {
            shutdown();
            throw new IOException("cannot listen on " + bind + ": " + e, e);
        }
        LOG.info("HTTP server listening on {} ({} I/O threads, at most {} connections, {} per address)", channel.localAddress(),
                threads, limits.maxConnections(), limits.maxPerAddress());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Connections open now (admitted under the caps). */
    public int openConnections() {
        return limiter.open();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        shutdown();
    }

    private void shutdown() {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        handlers.shutdownNow();
        acceptor.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        io.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
