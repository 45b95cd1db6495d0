package io.headnode.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.orchestrator.TestHost;
import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
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
        Path tmp = Files.createTempDirectory("hnevents");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            Libvirtd libvirtd = Libvirtd.start(ns, tmp.resolve("libvirtd"));
            try {
                ns.exec("ip", "link", "add", "name", "hnpub0", "type", "bridge");
                ns.exec("ip", "link", "set", "dev", "hnpub0", "up");
                Files.createDirectories(tmp.resolve("host"));
                TestHost host = new TestHost(tmp.resolve("host"), libvirtd.uri(), List.of("ip", "netns", "exec", ns.name()), "hnpub0");
                Path image = tmp.resolve("base.qcow2");
                Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M");
                TestHost.Run created = host.cli("create", "--vlan", "100", "--image", image.toString());
                assertThat(created.exitCode()).as(created.toString()).isZero();

                Path socket = tmp.resolve("notify.sock");
                try (Daemon receiver = Daemon.start("notify-receiver", tmp.resolve("notify.log"),
                        List.of("/usr/bin/python3", "-u", "-c", RECEIVER, socket.toString()))) {
                    receiver.await("bind " + socket, () -> receiver.logText().contains("listening"), Duration.ofSeconds(30));
                    Daemon service = Daemon.start("reconcile-service", tmp.resolve("service.log"), List.of("env",
                            "NOTIFY_SOCKET=" + socket, "WATCHDOG_USEC=2000000", "HEADNODE_LOG_LEVEL=INFO",
                            "java", "-jar", jar().toString(), "--config", host.writeConfigFile().toString(),
                            "reconcile", "--every", "1h", "--metrics-address", "127.0.0.1:0"));
                    try {
                        receiver.await("READY=1 after the first pass", () -> receiver.logText().contains("READY=1|STATUS=last pass"),
                                Duration.ofSeconds(90));
                        receiver.await("a watchdog ping", () -> receiver.logText().contains("WATCHDOG=1"), Duration.ofSeconds(30));
                        service.await("the event subscription", () -> count(service.logText(), "subscribed to domain events") == 1,
                                Duration.ofSeconds(30));

                        destroyAndAwaitRunning(libvirtd, service);

                        libvirtd.close();
                        libvirtd = Libvirtd.start(ns, tmp.resolve("libvirtd"));   // same socket, same URI
                        Libvirtd restarted = libvirtd;
                        service.await("subscribing again", () -> count(service.logText(), "subscribed to domain events") == 2,
                                Duration.ofSeconds(60));
                        service.await("the head node running again (autostart, or the catch-up pass)",
                                () -> domstate(restarted).equals("running"), Duration.ofSeconds(60));

                        destroyAndAwaitRunning(restarted, service);

                        String metrics = scrape(service.logText());
                        Matcher m = Pattern.compile("headnode_reconcile_vlan_passes_total\\{result=\"changed\",trigger=\"event\"} ([0-9.]+)")
                                .matcher(metrics);
                        assertThat(m.find()).as(metrics).isTrue();
                        assertThat(Double.parseDouble(m.group(1))).as("both repairs came from events").isGreaterThanOrEqualTo(2);
                        assertThat(metrics).contains("headnode_libvirt_events_subscribed 1.0").contains("headnode_head_nodes{state=\"running\"} 1");
                        assertThat(metrics).contains("headnode_reconcile_passes_total");
                    } finally {
                        service.close();   // SIGTERM
                    }
                    assertThat(service.exitCode()).as(service.logText()).hasValue(143);
                    receiver.await("STOPPING=1", () -> receiver.logText().contains("STOPPING=1"), Duration.ofSeconds(10));
                }
            } finally {
                Command.run(Duration.ofSeconds(30), List.of("virsh", "-c", libvirtd.uri(), "destroy", DOMAIN));
                libvirtd.close();
            }
        } finally {
            Command.run("rm", "-rf", tmp.toString());
        }
    }

    /** {@code virsh destroy}, then the domain must run again; the period is an hour, so only an event can do it. */
    private static void destroyAndAwaitRunning(Libvirtd libvirtd, Daemon service) {
        int repairs = count(service.logText(), "running: changed: start " + DOMAIN);
        assertThat(virsh(libvirtd, "destroy", DOMAIN).exitCode()).isZero();
        service.await(DOMAIN + " started again", () -> count(service.logText(), "running: changed: start " + DOMAIN) > repairs
                && domstate(libvirtd).equals("running"), Duration.ofSeconds(60));
        assertThat(service.logText()).contains("event pass: changed");
    }

    private static String domstate(Libvirtd libvirtd) {
        return virsh(libvirtd, "domstate", DOMAIN).stdout().strip();
    }

    private static CommandResult virsh(Libvirtd libvirtd, String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", libvirtd.uri()));
        cmd.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), cmd);
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

    static Path jar() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow().toAbsolutePath();
        }
    }
}
