package io.headnode.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.http.HttpLimits;
import io.headnode.agent.http.HttpResponse;
import io.headnode.agent.http.HttpServer;
import io.headnode.agent.net.FirewallCounters;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent's /metrics: what it counts, in the Prometheus text format, checked by Debian's {@code promtool check
 * metrics} (package prometheus), and served through the agent's HTTP server.
 */
public class AgentMetricsTest {
    private final List<MachineStatus> machines = new ArrayList<>(List.of(
            machine(1, MachineState.KNOWN), machine(2, MachineState.KNOWN), machine(3, MachineState.INSTALLING)));

    private static MachineStatus machine(int n, MachineState state) {
        return new MachineStatus(MacAddress.parse("52:54:00:00:00:0" + n), state, "10.0.0." + (n + 1), null, "");
    }

    private static Map<String, FirewallCounters.Count> nft() {
        try (InputStream in = AgentMetricsTest.class.getResourceAsStream("/io/headnode/agent/net/nft-list-table.json")) {
            return FirewallCounters.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code promtool check metrics} on {@code text}: its exit code and what it said. */
    public static String promtool(byte[] text) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text);
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.exitValue() + ":" + said;
    }

    @Test
    void installsByStateDhcpAndTftpRequestsHttpAnswersAndCallbackRejectsInTheTextFormatThatPromtoolAccepts() throws Exception {
        AgentMetrics m = new AgentMetrics(() -> machines, AgentMetricsTest::nft);
        m.httpAnswered(200);
        m.httpAnswered(200);
        m.httpAnswered(206);
        m.httpAnswered(404);
        m.callbackRejected(CallbackReject.FORBIDDEN);
        m.callbackRejected(CallbackReject.FORBIDDEN);
        m.callbackRejected(CallbackReject.NO_INSTALL_IN_PROGRESS);
        String text = new String(m.scrape(), StandardCharsets.UTF_8);
        assertThat(text).contains(
                "# TYPE headnode_agent_installs gauge",
                "headnode_agent_installs{state=\"known\"} 2.0",
                "headnode_agent_installs{state=\"installing\"} 1.0",
                "headnode_agent_installs{state=\"failed\"} 0.0",
                "# TYPE headnode_agent_dhcp_requests_total counter",
                "headnode_agent_dhcp_requests_total 2000.0",
                "headnode_agent_tftp_requests_total 1000.0",
                "headnode_agent_http_responses_total{code=\"200\"} 2.0",
                "headnode_agent_http_responses_total{code=\"404\"} 1.0",
                "headnode_agent_callback_rejects_total{reason=\"forbidden\"} 2.0",
                "headnode_agent_callback_rejects_total{reason=\"no_install_in_progress\"} 1.0");
        assertThat(promtool(m.scrape())).isEqualTo("0:");
        machines.set(0, machine(1, MachineState.INSTALLED));
        assertThat(new String(m.scrape(), StandardCharsets.UTF_8)).contains("headnode_agent_installs{state=\"installed\"} 1.0",
                "headnode_agent_installs{state=\"known\"} 1.0");
    }

    @Test
    void withoutAManagedFirewallTheDhcpAndTftpCountersHaveNoSampleAndPromtoolStillAcceptsTheText() throws Exception {
        AgentMetrics m = new AgentMetrics(List::of, Map::of);
        String text = new String(m.scrape(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("headnode_agent_dhcp_requests_total ").contains("headnode_agent_installs{state=\"known\"} 0.0");
        assertThat(promtool(m.scrape())).isEqualTo("0:");
    }

    @Test
    void servedAtSlashMetricsByTheAgentsServerWhichCountsItsAnswersAndRefusedCallbacks() throws Exception {
        AgentMetrics m = new AgentMetrics(() -> machines, Map::of);
        MetricsRoutes routes = new MetricsRoutes(m, req -> req.path().startsWith("/boot-default/")
                ? HttpResponse.text(403, "forbidden\n") : HttpResponse.text(404, "not found\n"));
        try (HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1, HttpLimits.defaults(Duration.ofSeconds(10)),
                routes, m::httpAnswered)) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
            assertThat(client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/nope")).build(), BodyHandlers.discarding()).statusCode())
                    .isEqualTo(404);
            assertThat(client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/boot-default/01-52-54-00-00-00-01"))
                    .POST(BodyPublishers.ofString("token=x")).build(), BodyHandlers.discarding()).statusCode()).isEqualTo(403);
            var scraped = client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/metrics")).build(), BodyHandlers.ofByteArray());
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("content-type")).contains(AgentMetrics.CONTENT_TYPE);
            String text = new String(scraped.body(), StandardCharsets.UTF_8);
            assertThat(text).contains("headnode_agent_http_responses_total{code=\"404\"} 1.0",
                    "headnode_agent_http_responses_total{code=\"403\"} 1.0",
                    "headnode_agent_callback_rejects_total{reason=\"forbidden\"} 1.0");
            assertThat(promtool(scraped.body())).isEqualTo("0:");
        }
    }

    @Test
    void theFirewallCountersAreReadFromNftablesJson() {
        assertThat(nft()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "dhcp", new FirewallCounters.Count(2000, 600000), "tftp", new FirewallCounters.Count(1000, 50000)));
    }


    /**
     * The metrics wrapper keeps the routes' answers asynchronous: a route that answers later (the callback waits for
     * the disk, kickstart and callback for the neighbour table) gets its future passed on, not joined on a handler
     * thread (it was: the 4 handler threads blocked in AgentRoutes.handle, and a 300-node storm's kickstarts queued
     * for 10 s), and a late refusal is still counted.
     */
    @Test
    void routesThatAnswerLaterAreNotWaitedForAndTheirRefusalsAreCounted() {
        AgentMetrics m = new AgentMetrics(List::of, Map::of);
        java.util.concurrent.CompletableFuture<HttpResponse> later = new java.util.concurrent.CompletableFuture<>();
        MetricsRoutes routes = new MetricsRoutes(m, new io.headnode.agent.http.HttpHandler() {
            @Override
            public HttpResponse handle(io.headnode.agent.http.HttpRequest req) {
                return later.join();
            }

            @Override
            public java.util.concurrent.CompletableFuture<HttpResponse> handleAsync(io.headnode.agent.http.HttpRequest req) {
                return later;
            }
        });
        var request = new io.headnode.agent.http.HttpRequest("POST", "/boot-default/01-52-54-00-aa-00-01", Map.of(), new byte[0], "10.0.5.2");
        // asked on another thread, so that a wrapper that waits fails the test instead of hanging it
        var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> routes.handleAsync(request))
                .completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        assertThat(answer).as("handleAsync returned without waiting for the route").isNotNull().isNotDone();
        later.complete(HttpResponse.text(409, "no install in progress\n"));
        assertThat(answer).isCompleted();
        assertThat(answer.join().status()).isEqualTo(409);
        assertThat(new String(m.scrape(), StandardCharsets.UTF_8)).contains("headnode_agent_callback_rejects_total{reason=\"no_install_in_progress\"} 1.0");
    }
}
