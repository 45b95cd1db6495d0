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

    /** A port whose host end the test connects and disconnects; counts the writer's looks so a test needs no sleeps. */
    static final class FakePort implements StatusPort {
        volatile boolean connected;
        final java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public boolean hostConnected() {
            looks.incrementAndGet();
            return connected;
        }

        @Override
        public boolean write(byte[] bytes) {
            if (!connected) {
                return false; // QEMU drops it
            }
            lines.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip());
            return true;
        }

        @Override
        public void close() {
        }

        /** Waits until the writer has looked at the port {@code n} more times. */
        void awaitLooks(int n) {
            int target = looks.get() + n;
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= target);
        }
    }

    /**
     * A host reads by connecting to QEMU's socket for a moment; what the guest writes while none is connected is
     * dropped. So nothing is written while no host is connected, and every host that connects gets the newest line at
     * once (before, a line held back while nobody listened went out stale and the newest could be lost as the reader
     * closed: the fleet saw a new head node's agent ready up to 13 s late).
     */
    @Test
    void everyHostThatConnectsGetsTheNewestLineAndNothingIsWrittenWhileNoneIs(@TempDir Path dir) throws Exception {
        Path portPath = dir.resolve("port");
        Files.createFile(portPath);
        FakePort port = new FakePort();
        MutableClock clock = new MutableClock();
        StatusPublisher p = new StatusPublisher(portPath, port, dir.resolve("status.json"), Duration.ofSeconds(10), clock);
        try {
            assertThat(p.publish(status(false))).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(p.publish(status(false).withSsh(new AgentStatus.Ssh(List.of("192.0.2.1"), List.of())))).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(p.publish(status(true))).isTrue();
            port.awaitLooks(3);
            assertThat(port.lines).as("nothing while no host is connected").isEmpty();

            port.connected = true;
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !port.lines.isEmpty());
            port.awaitLooks(3);
            assertThat(port.lines).as("the newest line, once").hasSize(1);
            assertThat(AgentStatus.parse(port.lines.get(0)).withUpdated(null)).isEqualTo(status(true));

            port.connected = false; // that reader closed
            port.awaitLooks(2);
            port.connected = true; // the next one
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> port.lines.size() == 2);
            assertThat(port.lines.get(1)).as("the newest again, for the new host").isEqualTo(port.lines.get(0));

            clock.advance(Duration.ofSeconds(1));
            AgentStatus changed = status(true).withSsh(new AgentStatus.Ssh(List.of("192.0.2.2"), List.of()));
            assertThat(p.publish(changed)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> port.lines.size() == 3);
            assertThat(AgentStatus.parse(port.lines.get(2)).withUpdated(null)).as("a change, to the connected host").isEqualTo(changed);
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
