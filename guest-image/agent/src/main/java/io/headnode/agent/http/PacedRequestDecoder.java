package io.headnode.agent.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder with two changes for the agent.
 * <ul>
 *   <li>One request at a time: after a complete request it decodes nothing more until {@link #resume()}. Bytes already
 *       received stay buffered and nothing more is read meanwhile, so a client that pipelines thousands of requests
 *       costs the memory of one, and the answers go out in order.</li>
 *   <li>An empty request head (a bare CRLF CRLF: two empty lines where a request line belongs) is a bad request, which
 *       the codec would skip silently while it waits for more. One empty line before a request line stays allowed
 *       (RFC 9112, section 2.2).</li>
 * </ul>
 * Used on the connection's event loop only.
 */
final class PacedRequestDecoder extends HttpRequestDecoder {
    private ChannelHandlerContext context;
    private boolean paused;
    private boolean atRequestStart = true;
    private int emptyLines;
    private boolean rejected;

    PacedRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
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
            rejected = true;
            in.skipBytes(in.readableBytes());
            out.add(emptyRequest());
            return;
        }
        int before = out.size();
        super.decode(ctx, in, out);
        for (int i = before; i < out.size(); i++) {
            if (out.get(i) instanceof LastHttpContent) {
                paused = true;
                atRequestStart = true;
                emptyLines = 0;
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

    private static FullHttpRequest emptyRequest() {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
        r.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("empty request head")));
        return r;
    }
}
