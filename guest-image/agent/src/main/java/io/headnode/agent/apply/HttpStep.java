package io.headnode.agent.apply;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.http.AgentRoutes;
import io.headnode.agent.http.HttpLimits;
import io.headnode.agent.http.HttpServer;
import io.headnode.agent.http.HttpWarmUp;
import io.headnode.agent.http.ImageFiles;
import io.headnode.agent.metrics.AgentMetrics;
import io.headnode.agent.metrics.MetricsRoutes;
import io.headnode.agent.http.StaticFiles;
import io.headnode.agent.install.InstallEndpoints;
import io.headnode.agent.net.Neighbours;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.tftp.BootFiles;
import io.headnode.contract.AgentStatus.Health;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server (tftpboot files, kickstarts, install callbacks, the image catalog), listening on the private address
 * only; moved when it changes. Once bound, the step sends the server its first requests itself ({@link HttpWarmUp}:
 * HEAD of the shim, GET of GRUB's default config) before it reports the server listening, so no node's boot meets a
 * cold server; those requests are not counted in the metrics.
 */
public final class HttpStep implements ApplyStep {
    private static final Logger LOG = LoggerFactory.getLogger(HttpStep.class);
    /** How long the warm-up may hold the first apply: the first answer took 11.7 s under TCG at load 46. */
    static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(30);
    static final List<HttpWarmUp.Request> WARM_UP = List.of(
            new HttpWarmUp.Request("HEAD", "/" + BootFiles.SHIM),
            new HttpWarmUp.Request("GET", "/" + BootFiles.GRUB_CFG));

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
                    new MetricsRoutes(metrics, new AgentRoutes(new StaticFiles(config.tftpRoot()), new ImageFiles(config.imageMount()), installs, neighbours)),
                    metrics::httpAnswered);
            HttpWarmUp.Result warm = HttpWarmUp.run(server.address(), WARM_UP, WARM_UP_TIMEOUT);
            LOG.info("http: warm-up on {} took {} ms: {}", want, warm.took().toMillis(), warm.answers());
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
