package io.headnode.agent.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.channels.FileChannel;

/**
 * Writes an {@link HttpResponse} as Netty messages: a small body in one piece, a file region zero-copy as a
 * {@link DefaultFileRegion} (sendfile). A file that shrinks while it is sent fails the region's transfer, which
 * closes the connection after the short body.
 */
final class ResponseWriter {
    private ResponseWriter() {
    }

    /**
     * Writes {@code r} and flushes. {@code file} is the open file of a file response whose body is sent (null for a
     * body response, a HEAD request or an empty range). Returns the future of the last write.
     */
    static ChannelFuture write(ChannelHandlerContext ctx, HttpResponse r, FileChannel file, boolean head, boolean close) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(r.status());
        if (file == null) {
            ByteBuf body = head || r.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body());
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            headers(res.headers(), r, close);
            return ctx.writeAndFlush(res);
        }
        DefaultHttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        headers(res.headers(), r, close);
        ctx.write(res);
        ctx.write(new DefaultFileRegion(file, r.offset(), r.length()));
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Header names in their usual capitalization: some boot firmware compares them case-sensitively. */
    private static void headers(HttpHeaders h, HttpResponse r, boolean close) {
        h.set("Server", "headnode-agent");
        h.set("Content-Type", r.contentType());
        h.set("Content-Length", r.contentLength());
        if (r.file() != null || r.status() == 416) {
            h.set("Accept-Ranges", "bytes");
        }
        if (r.status() == 206) {
            h.set("Content-Range", "bytes " + r.offset() + "-" + (r.offset() + r.length() - 1) + "/" + r.totalLength());
        } else if (r.status() == 416) {
            h.set("Content-Range", "bytes */" + r.totalLength());
        }
        h.set("Connection", close ? "close" : "keep-alive");
    }
}
