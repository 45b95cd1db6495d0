package io.headnode.agent.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;

/**
 * Netty's aggregator for request bodies (chunked or not) up to {@code maxBody} bytes. A body that arrives in many
 * small pieces is copied together every few pieces, so it never pins one receive buffer per piece; a body over the
 * limit is handed on as a failed request, which the dispatcher answers 413 and closes, like every refusal.
 */
final class BodyAggregator extends HttpObjectAggregator {
    BodyAggregator(int maxBody) {
        super(maxBody);
        setMaxCumulationBufferComponents(2);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.EMPTY_BUFFER);
        r.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException("body over " + maxContentLength() + " bytes")));
        ctx.fireChannelRead(r);
    }
}
