package io.headnode.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.orchestrator.PrivateLibvirtdHost;
import io.headnode.testing.Daemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real service ({@code headnode reconcile --every 1h}, the shaded jar) against a real libvirtd in a namespace this
 * test creates: a destroyed head node runs again long before the hour is up, because of libvirt's events; after a
 * libvirtd restart the service subscribes again and repairs a second destroy too. Meanwhile systemd's notification
 * protocol is spoken to a real AF_UNIX datagram socket (READY=1, WATCHDOG=1, STOPPING=1) and /metrics is scraped.
 */
class EventRepairIT {
    private static final String DOMAIN = "headnode-vlan100";
    /** Prints every datagram received on the socket ARGV[1], one line each (newlines in it as |). */
    private static final String RECEIVER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            print("listening", flush=True)
            while True:
                print(s.recv(4096).decode().replace("\\n", "|"), flush=True)
            """;

    @Test
    void destroyedHeadNodesAreRepairedOnTheirEventAlsoAfterALibvirtdRestart() throws Exception {
        try (PrivateLibvirtdHost lab = PrivateLibvirtdHost.start("hnevents")) {
            lab.createHeadNode(100);
            Path socket = lab.tmp.resolve("notify.sock");
            try (Daemon receiver = Daemon.start("notify-receiver", lab.tmp.resolve("notify.log"),
                    List.of("/usr/bin/python3", "-u", "-c", RECEIVER, socket.toString()))) {
                receiver.await("bind " + socket, () -> receiver.logText().contains("listening"), Duration.ofSeconds(30));
                Daemon service = Daemon.start("reconcile-service", lab.tmp.resolve("service.log"), List.of("env",
                        "NOTIFY_SOCKET=" + socket, "WATCHDOG_USEC=2000000", "HEADNODE_LOG_LEVEL=INFO",
                        "java", "-jar", PrivateLibvirtdHost.jar().toString(), "--config", lab.host.writeConfigFile().toString(),
                        "reconcile", "--every", "1h", "--metrics-address", "127.0.0.1:0"));
                try {
                    receiver.await("READY=1 after the first pass", () -> receiver.logText().contains("READY=1|STATUS=last pass"),
                            Duration.ofSeconds(90));
                    receiver.await("a watchdog ping", () -> receiver.logText().contains("WATCHDOG=1"), Duration.ofSeconds(30));
                    service.await("the event subscription", () -> count(service.logText(), "subscribed to domain events") == 1,
                            Duration.ofSeconds(30));

                    destroyAndAwaitRunning(lab, service);

                    lab.restartLibvirtd();   // same socket, same URI; its QEMU processes are stopped too
                    service.await("subscribing again", () -> count(service.logText(), "subscribed to domain events") == 2,
                            Duration.ofSeconds(60));
                    service.await("the head node running again (autostart, or the catch-up pass)",
                            () -> domstate(lab).equals("running"), Duration.ofSeconds(60));

                    destroyAndAwaitRunning(lab, service);

                    String metrics = scrape(service.logText());
                    Matcher m = Pattern.compile("headnode_reconcile_vlan_passes_total\\{result=\"changed\",trigger=\"event\"} ([0-9.]+)")
                            .matcher(metrics);
                    assertThat(m.find()).as(metrics).isTrue();
                    assertThat(Double.parseDouble(m.group(1))).as("both repairs came from events").isGreaterThanOrEqualTo(2);
                    assertThat(metrics).contains("headnode_libvirt_events_subscribed 1.0").contains("headnode_head_nodes{state=\"running\"} 1")
                            .contains("headnode_reconcile_passes_total");
                } finally {
                    service.close();   // SIGTERM
                }
                assertThat(service.exitCode()).as(service.logText()).hasValue(143);
                receiver.await("STOPPING=1", () -> receiver.logText().contains("STOPPING=1"), Duration.ofSeconds(10));
            }
        }
    }

    /** {@code virsh destroy}, then the domain must run again; the period is an hour, so only an event can do it. */
    private static void destroyAndAwaitRunning(PrivateLibvirtdHost lab, Daemon service) {
        int repairs = count(service.logText(), "running: changed: start " + DOMAIN);
        assertThat(lab.virsh("destroy", DOMAIN).exitCode()).isZero();
        service.await(DOMAIN + " started again", () -> count(service.logText(), "running: changed: start " + DOMAIN) > repairs
                && domstate(lab).equals("running"), Duration.ofSeconds(60));
        assertThat(service.logText()).contains("event pass: changed");
    }

    private static String domstate(PrivateLibvirtdHost lab) {
        return lab.virsh("domstate", DOMAIN).stdout().strip();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String scrape(String serviceLog) throws Exception {
        Matcher m = Pattern.compile("serving metrics on (http://127\\.0\\.0\\.1:[0-9]+/metrics)").matcher(serviceLog);
        assertThat(m.find()).as(serviceLog).isTrue();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
