package io.headnode.agent.metrics;

import io.headnode.agent.http.HttpHandler;
import io.headnode.agent.http.HttpRequest;
import io.headnode.agent.http.HttpResponse;
import java.util.Objects;

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
        String path = req.path();
        if (path.equals(PATH) && (req.method().equals("GET") || req.method().equals("HEAD"))) {
            return new HttpResponse(200, AgentMetrics.CONTENT_TYPE, metrics.scrape(), null, 0, 0, 0, false);
        }
        HttpResponse r = routes.handle(req);
        if (path.startsWith(CALLBACK) && r.status() != 200) {
            metrics.callbackRejected(CallbackReject.of(r.status()));
        }
        return r;
    }
}
