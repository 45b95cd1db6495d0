package io.headnode.orchestrator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Serves {@code GET /metrics} in the Prometheus text format (the client library's {@link PrometheusTextFormatWriter})
 * on the JDK's HTTP server, one daemon thread; anything else is 404 or 405.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (port 0: any free port) and starts serving {@code metrics}. */
    public static MetricsServer start(InetSocketAddress address, Supplier<MetricSnapshots> metrics) throws IOException {
        Objects.requireNonNull(metrics, "metrics is null");
        HttpServer server = HttpServer.create(address, 16);
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                    send(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics\n".getBytes());
                } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    send(exchange, 405, "text/plain; charset=utf-8", "GET only\n".getBytes());
                } else {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    writer.write(body, metrics.get(), EscapingScheme.UNDERSCORE_ESCAPING);
                    send(exchange, 200, writer.getContentType(), body.toByteArray());
                }
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "headnode-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
