package io.headnode.agent.metrics;

import io.headnode.agent.install.Installs;
import io.headnode.agent.net.FirewallCounters;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The agent's metrics, written in the Prometheus text format (prometheus-metrics-core and its text exposition
 * writer) for {@code GET /metrics} on the private address ({@link MetricsRoutes}). Installs by state and the DHCP and
 * TFTP request counters are read when scraped (from the install book and the firewall's counting rules); HTTP answers
 * and refused install callbacks are counted as they happen. See docs/agent.md, "Metrics".
 */
@Singleton
public final class AgentMetrics {
    /** The text format's content type (version 0.0.4). */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter httpResponses;
    private final Counter callbackRejects;

    @Inject
    public AgentMetrics(Installs installs, FirewallCounters firewall) {
        this(installs::machines, firewall::read);
    }

    public AgentMetrics(Supplier<List<MachineStatus>> machines, Supplier<Map<String, FirewallCounters.Count>> packets) {
        Objects.requireNonNull(machines, "machines is null");
        Objects.requireNonNull(packets, "packets is null");
        GaugeWithCallback.builder().name("headnode_agent_installs")
                .help("Listed machines by install state (known, requested, installing, installed, failed)")
                .labelNames("state")
                .callback(cb -> byState(machines.get()).forEach((state, n) -> cb.call(n, state.word())))
                .register(registry);
        CounterWithCallback.builder().name("headnode_agent_dhcp_requests")
                .help("Packets to dhcpd (udp/67) on the private interface, counted by the agent's firewall table")
                .callback(cb -> count(packets.get(), "dhcp", cb))
                .register(registry);
        CounterWithCallback.builder().name("headnode_agent_tftp_requests")
                .help("Packets to in.tftpd (udp/69, requests; the transfers run on other ports) on the private interface, counted by the agent's firewall table")
                .callback(cb -> count(packets.get(), "tftp", cb))
                .register(registry);
        httpResponses = Counter.builder().name("headnode_agent_http_responses")
                .help("HTTP answers sent by the agent's server, by status code (refusals of the request decoder included)")
                .labelNames("code")
                .register(registry);
        callbackRejects = Counter.builder().name("headnode_agent_callback_rejects")
                .help("Install callbacks (POST /boot-default/...) refused, by reason")
                .labelNames("reason")
                .register(registry);
    }

    /** One HTTP answer with {@code status} was sent. */
    public void httpAnswered(int status) {
        httpResponses.labelValues(Integer.toString(status)).inc();
    }

    /** An install callback was refused for {@code reason}. */
    public void callbackRejected(CallbackReject reason) {
        callbackRejects.labelValues(reason.label()).inc();
    }

    /** Everything, in the Prometheus text format. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            WRITER.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Map<MachineState, Integer> byState(List<MachineStatus> machines) {
        Map<MachineState, Integer> n = new EnumMap<>(MachineState.class);
        for (MachineState s : MachineState.values()) {
            n.put(s, 0);
        }
        machines.forEach(m -> n.merge(m.state(), 1, Integer::sum));
        return n;
    }

    private static void count(Map<String, FirewallCounters.Count> packets, String rule, CounterWithCallback.Callback cb) {
        FirewallCounters.Count c = packets.get(rule);
        if (c != null) {
            cb.call(c.packets());
        }
    }
}
