package io.headnode.agent.http;

/**
 * Turns a request into a response. Called on the server's handler threads, never on an I/O thread, so it may block
 * briefly (render a template, write and fsync a small file); a connection waits for its answer before its next request.
 */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request);
}
