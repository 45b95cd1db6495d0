package io.headnode.agent.metrics;

import io.headnode.agent.http.HttpHandler;
import io.headnode.agent.http.HttpRequest;
import io.headnode.agent.http.HttpResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The agent's routes with metrics: {@code GET /metrics} (and HEAD) answers the Prometheus text; every other request
 * goes to the agent's routes, and a refused install callback ({@code /boot-default/...} answered other than 200) is
 * counted by reason. The HTTP server listens on the private address only, so that is where metrics are served.
 */
public final class MetricsRoutes implements HttpHandler {
    public static final String PATH = "/metrics";
    private static final String CALLBACK = "/boot-default/";
    private final AgentMetrics metrics;
    private final HttpHandler routes;

    public MetricsRoutes(AgentMetrics metrics, HttpHandler routes) {
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
        this.routes = Objects.requireNonNull(routes, "routes is null");
    }

    @Override
    public HttpResponse handle(HttpRequest req) {
        return handleAsync(req).join();
    }

    /**
     * Passes the routes' future on: an answer that comes later (callback, kickstart) holds no handler thread here
     * either. (This wrapper once called the routes' blocking {@code handle}, so every such answer held one of the 4
     * handler threads after all: in a 300-node storm kickstarts and callbacks queued for 10 s.)
     */
    @Override
    public CompletableFuture<HttpResponse> handleAsync(HttpRequest req) {
        return handleAsync(req, Runnable::run);
    }

    @Override
    public CompletableFuture<HttpResponse> handleAsync(HttpRequest req, Executor work) {
        String path = req.path();
        if (path.equals(PATH) && (req.method().equals("GET") || req.method().equals("HEAD"))) {
            return CompletableFuture.completedFuture(new HttpResponse(200, AgentMetrics.CONTENT_TYPE, metrics.scrape(), null, 0, 0, 0, false));
        }
        return routes.handleAsync(req, work).thenApply(r -> {
            if (path.startsWith(CALLBACK) && r.status() != 200) {
                metrics.callbackRejected(CallbackReject.of(r.status()));
            }
            return r;
        });
    }
}
