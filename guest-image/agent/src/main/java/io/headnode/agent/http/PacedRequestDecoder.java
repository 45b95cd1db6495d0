package io.headnode.agent.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Netty's request decoder with a few changes for the agent. Used on the connection's event loop only.
 * <ul>
 *   <li>One request at a time: after a complete request it decodes nothing more until {@link #resume()}. Bytes already
 *       received stay buffered and nothing more is read meanwhile, so a client that pipelines thousands of requests
 *       costs the memory of one, and the answers go out in order.</li>
 *   <li>An empty request head (a bare CRLF CRLF: two empty lines where a request line belongs) is a bad request, which
 *       the codec would skip silently while it waits for more. One empty line before a request line stays allowed
 *       (RFC 9112, section 2.2).</li>
 *   <li>A request holds a permit of the shared requests-in-progress limiter (a total and a per-address cap) from its
 *       first byte until it is complete; without one it is refused (503). And its head may have at most
 *       {@code maxHeaderLines} header lines (431). Together these bound the memory of half-received requests, which
 *       the codec keeps as parsed header objects, however many slow senders there are.</li>
 * </ul>
 */
final class PacedRequestDecoder extends HttpRequestDecoder {
    private final AddressLimiter inProgress;
    private final int maxHeaderLines;
    private ChannelHandlerContext context;
    private InetAddress peer;
    private boolean paused;
    private boolean atRequestStart = true;
    private boolean inHead;
    private boolean permit;
    private int emptyLines;
    private int headLines;
    private boolean rejected;

    PacedRequestDecoder(HttpDecoderConfig config, AddressLimiter inProgress, int maxHeaderLines) {
        super(config);
        this.inProgress = Objects.requireNonNull(inProgress, "inProgress is null");
        this.maxHeaderLines = maxHeaderLines;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        super.handlerAdded(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        releasePermit();
        super.handlerRemoved0(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (paused) {
            return;
        }
        if (atRequestStart && emptyHead(in)) {
            reject(in, out, out.size(), new IllegalArgumentException("empty request head"));
            return;
        }
        if (!atRequestStart && !permit) {
            // a request has begun: it needs a permit until it is complete
            if (!inProgress.tryAcquire(peer)) {
                reject(in, out, out.size(), new ServerBusyException("too many requests in progress"));
                return;
            }
            permit = true;
            inHead = true;
        }
        int before = out.size();
        int from = in.readerIndex();
        super.decode(ctx, in, out);
        if (inHead) {
            headLines += lineFeeds(in, from);
            // besides the header lines: the tolerated empty lines, the request line and the empty line ending the head
            if (headLines - emptyLines - 2 > maxHeaderLines) {
                reject(in, out, before, new TooLongHttpHeaderException("more than " + maxHeaderLines + " header lines"));
                return;
            }
        }
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpRequest) {
                inHead = false;
            }
            if (o instanceof LastHttpContent) {
                paused = true;
                atRequestStart = true;
                emptyLines = 0;
                headLines = 0;
                releasePermit();
            }
        }
    }

    /**
     * Lets the next request through, decoding it at once if the bytes already received hold it. Returns true if a
     * request was handed on; false if more must be read first.
     */
    boolean resume() {
        paused = false;
        if (!internalBuffer().isReadable()) {
            return false;
        }
        try {
            channelRead(context, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            context.fireExceptionCaught(e);
            return true;
        }
        return paused;
    }

    /** Counts the empty lines before a request line (the bytes the codec skips there); true at the second one. */
    private boolean emptyHead(ByteBuf in) {
        for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
            byte b = in.getByte(i);
            if (b == '\n') {
                if (++emptyLines >= 2) {
                    return true;
                }
            } else if (b > ' ' && b != 0x7f) {
                atRequestStart = false;
                return false;
            }
        }
        return false;
    }

    private static int lineFeeds(ByteBuf in, int from) {
        int n = 0;
        for (int i = from; i < in.readerIndex(); i++) {
            if (in.getByte(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Drops what this call decoded and everything after it, and hands on a failed request in its place. */
    private void reject(ByteBuf in, List<Object> out, int from, Exception cause) {
        while (out.size() > from) {
            ReferenceCountUtil.release(out.remove(out.size() - 1));
        }
        rejected = true;
        releasePermit();
        in.skipBytes(in.readableBytes());
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
        r.setDecoderResult(DecoderResult.failure(cause));
        out.add(r);
    }

    private void releasePermit() {
        if (permit) {
            permit = false;
            inProgress.release(peer);
        }
    }

    /** No permit for another request in progress. */
    static final class ServerBusyException extends Exception {
        ServerBusyException(String message) {
            super(message, null, false, false);
        }
    }
}
