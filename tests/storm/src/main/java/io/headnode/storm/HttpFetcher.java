package io.headnode.storm;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 requests from a given local address (each simulated node's own), on Netty's NIO client: one connection
 * per request, as a PXE loader and an installer open them. Bodies are counted; up to {@link #KEEP} bytes are kept
 * (kickstarts), larger ones only counted (kernels).
 */
public final class HttpFetcher implements AutoCloseable {
    static final int KEEP = 64 << 10;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Duration timeout;

    /** An answer: status, body size, and the body's first {@link #KEEP} bytes as UTF-8. */
    public record Answer(int status, long bytes, String body) {
    }

    public HttpFetcher(int threads, Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
        group = new NioEventLoopGroup(threads);
        bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                // large reads: a storm client reads hundreds of downloads at once and must keep up with the server
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(4096, 65536, 1 << 20));
    }

    public CompletableFuture<Answer> get(InetAddress local, InetSocketAddress server, String path) {
        return send(local, server, HttpMethod.GET, path, null);
    }

    /** A form POST ({@code application/x-www-form-urlencoded}), as curl --data sends it. */
    public CompletableFuture<Answer> post(InetAddress local, InetSocketAddress server, String path, String form) {
        return send(local, server, HttpMethod.POST, path, form);
    }

    private CompletableFuture<Answer> send(InetAddress local, InetSocketAddress server, HttpMethod method, String path, String form) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS), new HttpClientCodec(),
                        new AnswerHandler(result, method + " " + path));
            }
        });
        ChannelFuture connect = b.connect(server, new InetSocketAddress(local, 0));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("connect " + local.getHostAddress() + " -> " + server + ": " + f.cause(), f.cause()));
                return;
            }
            ByteBuf body = form == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(form, StandardCharsets.US_ASCII);
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, body);
            req.headers().set(HttpHeaderNames.HOST, server.getAddress().getHostAddress())
                    .set(HttpHeaderNames.USER_AGENT, "headnode-storm")
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (form != null) {
                req.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED)
                        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            }
            connect.channel().writeAndFlush(req);
        });
        return result;
    }

    private static final class AnswerHandler extends SimpleChannelInboundHandler<HttpObject> {
        private final CompletableFuture<Answer> result;
        private final String what;
        private final StringBuilder kept = new StringBuilder();
        private int status;
        private long bytes;

        AnswerHandler(CompletableFuture<Answer> result, String what) {
            this.result = result;
            this.what = what;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
            }
            if (msg instanceof HttpContent c) {
                ByteBuf buf = c.content();
                int n = buf.readableBytes();
                if (kept.length() < KEEP) {
                    kept.append(buf.toString(buf.readerIndex(), Math.min(n, KEEP - kept.length()), StandardCharsets.UTF_8));
                }
                bytes += n;
                if (msg instanceof LastHttpContent) {
                    result.complete(new Answer(status, bytes, kept.toString()));
                    ctx.close();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IOException(what + ": connection closed after " + bytes + " body bytes (status " + status + ")"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(new IOException(what + ": " + cause, cause));
            ctx.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
