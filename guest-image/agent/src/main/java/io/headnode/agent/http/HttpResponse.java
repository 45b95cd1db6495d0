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

    /**
     * A whole file of {@code size} bytes (200), or the part a {@code Range} header asks for (206; 416 when it cannot
     * be satisfied), as {@link ByteRange} reads it.
     */
    public static HttpResponse ranged(String contentType, Path file, long size, String rangeHeader) {
        ByteRange range = ByteRange.parse(rangeHeader, size);
        if (range == ByteRange.UNSATISFIABLE) {
            return new HttpResponse(416, "text/plain; charset=utf-8", ("range not satisfiable; size " + size + "\n").getBytes(StandardCharsets.UTF_8),
                    null, 0, 0, size, false);
        }
        if (range != null) {
            return file(206, contentType, file, range.start(), range.length(), size);
        }
        return file(200, contentType, file, 0, size, size);
    }

    public long contentLength() {
        return body != null ? body.length : length;
    }
}
