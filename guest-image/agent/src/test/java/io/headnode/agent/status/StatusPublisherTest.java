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
        // the port is written by the publisher's own thread (a line is skipped while the previous one is pending): wait for it
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !Files.readAllLines(port).isEmpty());
        p.close();
        assertThat(Files.readAllLines(port)).isNotEmpty().allMatch(l -> l.startsWith("{\"ready\":") && l.contains("\"updated\":\"2026-11-25T00:00:"));
        assertThat(Files.readString(dir.resolve("status.json"))).startsWith("{\"ready\":true,\"share\":\"missing\"").endsWith("\n");
        AgentStatus last = AgentStatus.parse(Files.readString(dir.resolve("status.json")).strip());
        assertThat(last.withUpdated(null)).isEqualTo(status(true));
        assertThat(last.updated()).isEqualTo(clock.instant());
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
