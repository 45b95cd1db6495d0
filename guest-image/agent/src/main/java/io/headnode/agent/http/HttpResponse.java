package io.headnode.agent.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to send: a status and either a small in-memory body or a region of a file (sent zero-copy as a Netty file
 * region, i.e. sendfile). {@code totalLength} is the file's size, for Content-Range. {@code close}: close the
 * connection after it.
 */
public record HttpResponse(int status, String contentType, byte[] body, Path file, long offset, long length, long totalLength,
                           boolean close) {
    public HttpResponse {
        Objects.requireNonNull(contentType, "contentType is null");
        if ((body == null) == (file == null)) {
            throw new IllegalArgumentException("a response has either a body or a file");
        }
    }

    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null, 0, 0, 0, false);
    }

    /** An error after which the connection is closed. */
    public static HttpResponse fatal(int status, String text) {
        return new HttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null, 0, 0, 0, true);
    }

    public static HttpResponse file(int status, String contentType, Path file, long offset, long length, long total) {
        return new HttpResponse(status, contentType, null, file, offset, length, total, false);
    }

    public long contentLength() {
        return body != null ? body.length : length;
    }
}
