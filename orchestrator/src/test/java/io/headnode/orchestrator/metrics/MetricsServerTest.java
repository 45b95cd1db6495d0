package io.headnode.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.StepResult;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.reconcile.action.SetAutostart;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics on loopback, scraped over HTTP and checked by Prometheus's own linter (promtool, Debian's prometheus). */
class MetricsServerTest {
    @TempDir
    Path tmp;

    @Test
    void metricsAreServedOnLoopbackAndPassPromtool() throws Exception {
        ReconcileMetrics m = new ReconcileMetrics();
        Vlan v = new Vlan(100);
        m.stepFinished(v, StepResult.unchanged("network"), Duration.ofMillis(3));
        m.vlanPass(v, new VlanReport(v, "present", false, List.of(StepResult.unchanged("network"),
                StepResult.of("autostart", false, List.of(new SetAutostart(new io.headnode.orchestrator.FakeHypervisor(), "headnode-vlan100", true))))), "event");
        m.vlanPass(new Vlan(200), null, "periodic");
        m.headNode(v, "running");
        m.headNode(new Vlan(200), "undefined");
        m.event("stopped");
        m.subscribed(true);
        m.pass(Set.of(v, new Vlan(200)), Instant.parse("2026-12-02T08:00:00Z"), Duration.ofMillis(40));
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), m::scrape)) {
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(r.body()).contains("headnode_reconcile_repairs_total{action=\"SetAutostart\",step=\"autostart\"} 1.0")
                    .contains("headnode_reconcile_vlan_passes_total{result=\"failed\",trigger=\"periodic\"} 1.0")
                    .contains("headnode_head_nodes{state=\"running\"} 1").contains("headnode_head_nodes{state=\"undefined\"} 1")
                    .contains("headnode_head_nodes{state=\"crashed\"} 0")
                    .contains("headnode_reconcile_failing_head_nodes 1")
                    .contains("headnode_reconcile_last_pass_timestamp_seconds 1.7961984E9")
                    .contains("headnode_reconcile_step_duration_seconds_bucket{step=\"network\",le=\"0.005\"} 1");
            Path body = tmp.resolve("metrics.txt");
            Files.writeString(body, r.body());
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(body.toFile())
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String lint = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(lint).isZero();
            assertThat(lint).as("no problems reported").isBlank();
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/other")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);
        }
    }
}
