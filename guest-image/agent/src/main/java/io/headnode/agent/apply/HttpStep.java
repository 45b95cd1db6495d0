package io.headnode.agent.apply;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.http.AgentRoutes;
import io.headnode.agent.http.HttpLimits;
import io.headnode.agent.http.HttpServer;
import io.headnode.agent.http.ImageFiles;
import io.headnode.agent.metrics.AgentMetrics;
import io.headnode.agent.metrics.MetricsRoutes;
import io.headnode.agent.http.StaticFiles;
import io.headnode.agent.install.InstallEndpoints;
import io.headnode.agent.net.Neighbours;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The HTTP server (tftpboot files, kickstarts, install callbacks, the image catalog), listening on the private address only; moved when it changes. */
public final class HttpStep implements ApplyStep {
    private final AgentConfig config;
    private final InstallEndpoints installs;
    private final Neighbours neighbours;
    private HttpServer server;
    private volatile String bound;

    private final AgentMetrics metrics;

    public HttpStep(AgentConfig config, InstallEndpoints installs, Neighbours neighbours, AgentMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.installs = Objects.requireNonNull(installs, "installs is null");
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours is null");
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public boolean gates() {
        return false;
    }

    @Override
    public synchronized StepResult apply(ShareSnapshot share) {
        String ip = share.config().privateAddress().ip();
        String want = ip + ":" + config.httpPort();
        if (want.equals(bound) && server != null) {
            return StepResult.UNCHANGED;
        }
        close();
        try {
            server = new HttpServer(new InetSocketAddress(ip, config.httpPort()), config.httpThreads(), HttpLimits.defaults(config.httpRequestTimeout()),
                    new MetricsRoutes(metrics, new AgentRoutes(new StaticFiles(config.tftpRoot()), new ImageFiles(config.imageMount()), installs, neighbours)), metrics::httpAnswered);
            bound = want;
            return StepResult.of(List.of("listening on " + want));
        } catch (IOException e) {
            return new StepResult.Failed("cannot listen on " + want + ": " + e.getMessage());
        }
    }

    @Override
    public Map<String, Health> health() {
        String b = bound;
        return Map.of("http", b == null ? Health.pending("not listening yet") : Health.ok("listening on " + b));
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
            bound = null;
        }
    }
}
