package io.headnode.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headnode.agent.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusPublisherTest {
    @Test
    void publishesOnChangeAndEveryIntervalToFileAndPort(@TempDir Path dir) throws Exception {
        Path port = dir.resolve("port");
        Files.createFile(port);
        MutableClock clock = new MutableClock();
        StatusPublisher p = new StatusPublisher(port, dir.resolve("status.json"), Duration.ofSeconds(10), clock);
        ObjectNode s = new ObjectMapper().createObjectNode().put("ready", false).put("share", "missing");
        assertThat(p.publish(s)).isTrue();
        assertThat(p.publish(s.deepCopy())).isFalse();
        clock.advance(Duration.ofSeconds(11));
        assertThat(p.publish(s.deepCopy())).isTrue();
        assertThat(p.publish(s.deepCopy().put("ready", true))).isTrue();
        p.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Files.readAllLines(port).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readAllLines(port)).isNotEmpty().allMatch(l -> l.startsWith("{\"ready\":") && l.contains("\"updated\":"));
        assertThat(Files.readString(dir.resolve("status.json"))).startsWith("{\"ready\":true,\"share\":\"missing\"").endsWith("\n");
    }

    @Test
    void aMissingPortIsNotAnError(@TempDir Path dir) {
        StatusPublisher p = new StatusPublisher(dir.resolve("no-port"), dir.resolve("status.json"), Duration.ofSeconds(10), new MutableClock());
        assertThat(p.publish(new ObjectMapper().createObjectNode().put("ready", true))).isTrue();
        assertThat(dir.resolve("no-port")).doesNotExist();
        p.close();
    }
}
