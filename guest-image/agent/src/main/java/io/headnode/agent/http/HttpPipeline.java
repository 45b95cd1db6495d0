package io.headnode.agent.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up each accepted connection: closes it at once beyond the connection caps, else builds its pipeline: request
 * decoder (limits on request line and headers, one request at a time, requests in progress), response encoder, body
 * aggregator (limit on the body), route dispatcher (request deadline and send-stall limit). Any channel whose remote
 * address is an {@link InetSocketAddress} (the server's TCP connections; an in-process channel in the request fuzz test).
 */
final class HttpPipeline extends ChannelInitializer<Channel> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPipeline.class);
    private final HttpLimits limits;
    private final AddressLimiter limiter;
    private final AddressLimiter inProgress;
    private final HttpHandler handler;
    private final Executor executor;
    private final IntConsumer answered;

    HttpPipeline(HttpLimits limits, AddressLimiter limiter, AddressLimiter inProgress, HttpHandler handler, Executor executor,
                 IntConsumer answered) {
        this.limits = Objects.requireNonNull(limits, "limits is null");
        this.limiter = Objects.requireNonNull(limiter, "limiter is null");
        this.inProgress = Objects.requireNonNull(inProgress, "inProgress is null");
        this.handler = Objects.requireNonNull(handler, "handler is null");
        this.executor = Objects.requireNonNull(executor, "executor is null");
        this.answered = Objects.requireNonNull(answered, "answered is null");
    }

    @Override
    protected void initChannel(Channel ch) {
        InetAddress peer = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        if (!limiter.tryAcquire(peer)) {
            LOG.debug("closing a connection from {}: connection cap reached ({} open, {} from it)", peer.getHostAddress(),
                    limiter.open(), limiter.open(peer));
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> limiter.release(peer));
        PacedRequestDecoder decoder = new PacedRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine())
                .setMaxHeaderSize(limits.maxHeaderBytes()), inProgress, limits.maxHeaderLines());
        ch.pipeline().addLast(
                decoder,
                new HttpResponseEncoder(),
                new BodyAggregator(limits.maxBody()),
                new RouteDispatcher(handler, executor, decoder, limits.requestTimeout(), answered));
    }
}
