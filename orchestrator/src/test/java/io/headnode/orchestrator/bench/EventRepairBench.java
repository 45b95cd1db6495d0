package io.headnode.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.libvirt.DomainEvent;
import io.headnode.common.libvirt.DomainEvents;
import io.headnode.common.libvirt.LibvirtDomainEvents;
import io.headnode.orchestrator.PrivateLibvirtdHost;
import io.headnode.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run on demand, see docs/benchmarks/orchestrator.md): how long a head node is down after
 * {@code virsh destroy} or {@code virsh destroy; undefine}, from libvirt's own event (STOPPED, UNDEFINED) to the
 * last event of the repair (STARTED, or DEFINED for a domain started before it was undefined), with the service
 * {@code headnode reconcile --every 60s} (events on) against the periodic path alone ({@code --every 10s --no-events}).
 * The bench watches the events on a connection of its own; a private libvirtd in a namespace, an empty qcow2 (SeaBIOS).
 */
class EventRepairBench {
    private static final String DOMAIN = "headnode-vlan100";
    private static final int ROUNDS = 5;
    private final List<Stamped> events = new CopyOnWriteArrayList<>();

    private record Stamped(long nanos, DomainEvent.Type type) {
    }

    @Test
    void eventRepairAgainstThePeriodicPath() throws Exception {
        StringBuilder report = new StringBuilder("| service | fault | runs (s, event to repaired) | median (s) | max (s) |\n|---|---|---|---|---|\n");
        try (PrivateLibvirtdHost lab = PrivateLibvirtdHost.start("hnbench-events")) {
            lab.createHeadNode(100);
            DomainEvents.Subscription watch = new LibvirtDomainEvents(lab.libvirtd().uri()).subscribe(e -> {
                if (e.domain().equals(DOMAIN)) {
                    events.add(new Stamped(System.nanoTime(), e.type()));
                }
            });
            try {
                Path conf = lab.host.writeConfigFile();
                try (Daemon service = service(lab.tmp, conf, "60s", "--events")) {
                    report.append(row("--every 60s (events)", "destroy", rounds(lab, false)));
                    report.append(row("--every 60s (events)", "destroy; undefine", rounds(lab, true)));
                }
                try (Daemon service = service(lab.tmp, conf, "10s", "--no-events")) {
                    report.append(row("--every 10s --no-events", "destroy", rounds(lab, false)));
                }
            } finally {
                watch.close();
            }
        }
        Files.writeString(Path.of("target/bench-event-repair.md"), report.toString());
        System.out.println(report);
    }

    private static Daemon service(Path tmp, Path conf, String every, String events) throws Exception {
        Daemon d = Daemon.start("reconcile-" + every, tmp.resolve("service-" + every + ".log"), List.of("env", "HEADNODE_LOG_LEVEL=INFO",
                "java", "-jar", PrivateLibvirtdHost.jar().toString(), "--config", conf.toString(), "reconcile", "--every", every, events,
                "--metrics-address", "none"));
        d.await("the first pass", () -> d.logText().contains("reconciling every"), Duration.ofSeconds(120));
        if (events.equals("--events")) {
            d.await("the event subscription", () -> d.logText().contains("subscribed to domain events"), Duration.ofSeconds(60));
        }
        return d;
    }

    /** ROUNDS faults, each timed from its event to the last event of the repair. */
    private List<Double> rounds(PrivateLibvirtdHost lab, boolean undefine) throws Exception {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            awaitRunningAndPersistent(lab);
            int from = events.size();
            CommandResult r = undefine ? lab.virsh("destroy " + DOMAIN + "; undefine " + DOMAIN) : lab.virsh("destroy", DOMAIN);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            awaitRunningAndPersistent(lab);
            DomainEvent.Type fault = undefine ? DomainEvent.Type.UNDEFINED : DomainEvent.Type.STOPPED;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {   // our own subscription may hear the repair's last event after virsh saw the result
                List<Stamped> after = List.copyOf(events.subList(from, events.size()));
                OptionalLong start = after.stream().filter(e -> e.type() == fault).mapToLong(Stamped::nanos).findFirst();
                OptionalLong end = after.stream().filter(e -> start.isPresent() && e.nanos() >= start.getAsLong())
                        .filter(e -> e.type() == DomainEvent.Type.STARTED || e.type() == DomainEvent.Type.DEFINED)
                        .mapToLong(Stamped::nanos).max();
                if (end.isPresent()) {
                    out.add((end.getAsLong() - start.getAsLong()) / 1e9);
                    break;
                }
                assertThat(System.nanoTime()).as("the repair's events within 10 s: " + after).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        return out;
    }

    private static void awaitRunningAndPersistent(PrivateLibvirtdHost lab) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            String info = lab.virsh("dominfo", DOMAIN).stdout();
            if (info.matches("(?s).*State:\\s+running.*") && info.matches("(?s).*Persistent:\\s+yes.*")) {
                return;
            }
            assertThat(System.nanoTime()).as("repaired within 120 s: " + info).isLessThan(deadline);
            Thread.sleep(50);   // a benchmark's poll of a real process, bounded by the deadline
        }
    }

    private static String row(String service, String fault, List<Double> runs) {
        List<Double> sorted = runs.stream().sorted().toList();
        return String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f |%n", service, fault,
                String.join(", ", runs.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList()),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }
}
