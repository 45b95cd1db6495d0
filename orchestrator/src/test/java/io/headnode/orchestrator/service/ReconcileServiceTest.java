package io.headnode.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.AbstractModule;
import io.headnode.common.libvirt.DomainEvent;
import io.headnode.common.libvirt.DomainEvents;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.FakeHypervisor;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.metrics.ReconcileMetrics;
import io.headnode.orchestrator.net.VlanNetwork;
import io.headnode.testing.Command;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on fakes: a period of an hour, so every repair here comes from an event; READY=1 after the first pass,
 * STOPPING=1 at the end; metrics count what happened.
 */
class ReconcileServiceTest {
    private static final String DOMAIN = "headnode-vlan100";
    @TempDir
    Path tmp;
    private final FakeHypervisor hv = new FakeHypervisor();
    private final FakeDomainEvents events = new FakeDomainEvents();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final StringWriter out = new StringWriter();
    private ReconcileService service;
    private ReconcileMetrics metrics;
    private Thread worker;

    @BeforeEach
    void start() throws Exception {
        ServiceNotifier notifier = new ServiceNotifier() {
            @Override
            public void notify(String state) {
                notes.add(state);
            }

            @Override
            public Optional<Duration> watchdog() {
                return Optional.empty();
            }
        };
        TestHost host = new TestHost(tmp, "test:///default", List.of(), "br0", new AbstractModule() {
            @Override
            protected void configure() {
                bind(Hypervisor.class).toInstance(hv);
                bind(VlanNetwork.class).toInstance(new FakeVlanNetwork());
                bind(DomainEvents.class).toInstance(events);
                bind(ServiceNotifier.class).toInstance(notifier);
            }
        });
        Path image = tmp.resolve("base.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "16M");
        TestHost.Run created = host.cli("create", "--vlan", "100", "--image", image.toString());
        assertThat(created.exitCode()).as(created.toString()).isZero();
        var injector = host.injector();
        service = injector.getInstance(ReconcileService.class);
        metrics = injector.getInstance(ReconcileMetrics.class);
        worker = new Thread(() -> service.run(Duration.ofHours(1), true, new PrintWriter(out, true)), "test-service");
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> notes.stream().anyMatch(n -> n.startsWith("READY=1\nSTATUS=")));
    }

    @AfterEach
    void stop() throws Exception {
        service.stop();
        worker.join(10_000);
    }

    @Test
    void aStoppedHeadNodeIsStartedOnItsEventWithoutWaitingForThePeriod() throws Exception {
        hv.destroy(DOMAIN);
        events.send("headnode-vlan7", DomainEvent.Type.STOPPED);   // named like ours, but no spec: left alone
        events.send("someone-else", DomainEvent.Type.STOPPED);
        events.send(DOMAIN, DomainEvent.Type.STOPPED);
        await().atMost(Duration.ofSeconds(10)).until(() -> hv.state(DOMAIN) == RunState.RUNNING);
        assertThat(out.toString()).contains("vlan 100 (present): changed").contains("running: changed: start " + DOMAIN);
        assertThat(Files.exists(tmp.resolve("state/locks/vlan7.lock"))).as("no pass for a VLAN without spec").isFalse();
        String text = scrape();
        assertThat(text).contains("headnode_reconcile_vlan_passes_total{result=\"changed\",trigger=\"event\"} 1.0")
                .contains("headnode_reconcile_repairs_total{action=\"StartDomain\",step=\"running\"} 1.0")
                .contains("headnode_libvirt_events_total{type=\"stopped\"} 3.0")
                .contains("headnode_head_nodes{state=\"running\"} 1")
                .contains("headnode_reconcile_passes_total 1.0")
                .contains("headnode_libvirt_events_subscribed 1.0")
                .containsPattern("headnode_reconcile_step_duration_seconds_count\\{step=\"running\"} [2-9]");
    }

    @Test
    void anUndefinedHeadNodeIsDefinedAndStartedAgain() {
        hv.destroy(DOMAIN);
        hv.undefine(DOMAIN);
        events.send(DOMAIN, DomainEvent.Type.STOPPED);
        events.send(DOMAIN, DomainEvent.Type.UNDEFINED);
        await().atMost(Duration.ofSeconds(10)).until(() -> hv.lookup(DOMAIN).map(d -> d.state() == RunState.RUNNING).orElse(false));
        assertThat(hv.changes).containsSubsequence("define " + DOMAIN, "start " + DOMAIN);
    }

    @Test
    void aResubscriptionRunsACatchUpPassAndStopSaysStopping() throws Exception {
        hv.destroy(DOMAIN);   // no event: missed while the subscription was away
        events.reconnect();
        await().atMost(Duration.ofSeconds(10)).until(() -> hv.state(DOMAIN) == RunState.RUNNING);
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().contains("headnode_reconcile_passes_total 2.0"));
        service.stop();
        worker.join(10_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(notes.get(notes.size() - 1)).isEqualTo("STOPPING=1");
        assertThat(events.open()).as("the subscription is closed").isFalse();
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(b, metrics.scrape(), io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        return b.toString(StandardCharsets.UTF_8);
    }
}
