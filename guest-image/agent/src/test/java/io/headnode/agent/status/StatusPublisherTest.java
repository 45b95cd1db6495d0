package io.headnode.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.MutableClock;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.Health;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusPublisherTest {
    static AgentStatus status(boolean ready) {
        return new AgentStatus(ready, AgentStatus.Share.missing(), null, List.of(), 0, Map.of("dhcpd", Health.pending("waiting for a valid share")), null);
    }

    @Test
    void publishesOnChangeAndEveryIntervalToFileAndPort(@TempDir Path dir) throws Exception {
        Path port = dir.resolve("port");
        Files.createFile(port);
        MutableClock clock = new MutableClock();
        StatusPublisher p = new StatusPublisher(port, dir.resolve("status.json"), Duration.ofSeconds(10), clock);
        AgentStatus s = status(false);
        assertThat(p.publish(s)).isTrue();
        assertThat(p.publish(status(false))).isFalse();
        clock.advance(Duration.ofSeconds(11));
        assertThat(p.publish(status(false))).isTrue();
        assertThat(p.publish(status(true))).isTrue();
        // the port is written by the publisher's own thread (the newest waiting line): wait for it
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !Files.readAllLines(port).isEmpty());
        p.close();
        assertThat(Files.readAllLines(port)).isNotEmpty().allMatch(l -> l.startsWith("{\"ready\":") && l.contains("\"updated\":\"2026-11-25T00:00:"));
        assertThat(Files.readString(dir.resolve("status.json"))).startsWith("{\"ready\":true,\"share\":\"missing\"").endsWith("\n");
        AgentStatus last = AgentStatus.parse(Files.readString(dir.resolve("status.json")).strip());
        assertThat(last.withUpdated(null)).isEqualTo(status(true));
        assertThat(last.updated()).isEqualTo(clock.instant());
    }

    /**
     * The port as QEMU makes it while no host listens: a write that does not return (here a FIFO nobody reads yet).
     * A change published meanwhile must reach the host as soon as it reads, not with the next interval's line (it
     * was dropped before: the fleet saw a new head node's agent ready up to 12 s late).
     */
    @Test
    void aChangeMadeWhileNoHostListensReachesItOnceItReads(@TempDir Path dir) throws Exception {
        Path port = dir.resolve("port");
        assertThat(new ProcessBuilder("mkfifo", port.toString()).start().waitFor()).isZero();
        MutableClock clock = new MutableClock();
        StatusPublisher p = new StatusPublisher(port, dir.resolve("status.json"), Duration.ofSeconds(10), clock);
        try {
            assertThat(p.publish(status(false))).isTrue(); // its write waits for a reader
            clock.advance(Duration.ofSeconds(1));
            assertThat(p.publish(status(false).withSsh(new AgentStatus.Ssh(List.of("192.0.2.1"), List.of())))).isTrue(); // replaced by the next
            clock.advance(Duration.ofSeconds(1));
            assertThat(p.publish(status(true))).isTrue();
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            // "rw": holds a write end too, so the reader never sees end-of-file between the publisher's writes
            try (java.io.RandomAccessFile host = new java.io.RandomAccessFile(port.toFile(), "rw")) {
                Thread reader = new Thread(() -> {
                    try {
                        for (String l = host.readLine(); l != null && !l.equals("end"); l = host.readLine()) {
                            lines.add(l);
                        }
                    } catch (java.io.IOException e) {
                        lines.add(e.toString());
                    }
                });
                reader.setDaemon(true);
                reader.start();
                String first = lines.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                String second = lines.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(first).as("the line held back while nobody listened").startsWith("{\"ready\":false");
                assertThat(second).as("then the newest, at once").isNotNull().startsWith("{\"ready\":true");
                assertThat(lines.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS)).as("the replaced line is never written").isNull();
                host.write("end\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // the reader stops
                reader.join(5_000);
                assertThat(reader.isAlive()).isFalse();
            }
        } finally {
            p.close();
        }
    }

    @Test
    void aClockThatWentBackDoesNotHoldTheStatusBack(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock();
        StatusPublisher p = new StatusPublisher(dir.resolve("no-port"), dir.resolve("status.json"), Duration.ofSeconds(10), clock);
        assertThat(p.publish(status(true))).isTrue();
        clock.advance(Duration.ofHours(-1));
        // before the fix the unchanged status waited for the hour to pass again: the host saw it go stale
        assertThat(p.publish(status(true))).as("first publish after the jump back").isTrue();
        assertThat(AgentStatus.parse(Files.readString(dir.resolve("status.json")).strip()).updated()).isEqualTo(clock.instant());
        assertThat(p.publish(status(true))).as("then the interval counts from the new time").isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(p.publish(status(true))).isTrue();
        p.close();
    }

    @Test
    void aMissingPortIsNotAnError(@TempDir Path dir) {
        StatusPublisher p = new StatusPublisher(dir.resolve("no-port"), dir.resolve("status.json"), Duration.ofSeconds(10), new MutableClock());
        assertThat(p.publish(status(true))).isTrue();
        assertThat(dir.resolve("no-port")).doesNotExist();
        p.close();
    }
}
