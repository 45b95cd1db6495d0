package io.headnode.agent.http;

/** Turns a request into a response; called on the server's I/O threads, so it must be quick. */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request);
}
