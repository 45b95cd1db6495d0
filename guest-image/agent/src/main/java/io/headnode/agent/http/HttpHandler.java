package io.headnode.agent.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Turns a request into a response. Called on the server's handler threads, never on an I/O thread, so it may block
 * briefly (render a template, write and fsync a small file); a connection waits for its answer before its next request.
 */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request);

    /**
     * The answer, possibly later: a route that waits for something else (the install callback waits for the disk)
     * returns an unfinished future and frees the handler thread meanwhile. By default {@link #handle} at once.
     */
    default CompletableFuture<HttpResponse> handleAsync(HttpRequest request) {
        return CompletableFuture.completedFuture(handle(request));
    }

    /**
     * As {@link #handleAsync(HttpRequest)}; work that follows a wait (e.g. rendering a kickstart once the neighbour
     * table has answered) runs on {@code work}, the server's handler threads, not on the thread that ended the wait.
     */
    default CompletableFuture<HttpResponse> handleAsync(HttpRequest request, Executor work) {
        return handleAsync(request);
    }
}
