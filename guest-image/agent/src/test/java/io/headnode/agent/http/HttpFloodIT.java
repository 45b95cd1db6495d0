package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headnode.testing.Daemon;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's HTTP server as it runs in production: the shaded jar started by bin/headnode-agent, so with the
 * launcher's JVM options (48 MiB heap, -XX:+ExitOnOutOfMemoryError: running out of heap ends the process, which each
 * case checks). Floods of 4,096 connections on loopback, each case against a fresh server, bounded in time.
 */
@Timeout(180)
class HttpFloodIT {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final int FLOOD = 4096;
    @TempDir
    Path dir;
    Daemon server;
    InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("small.txt"), "hello\n");
        String launcher = Path.of("../../bin/headnode-agent").toAbsolutePath().normalize().toString();
        String jar = System.getProperty("headnode.agent.jar", "target/headnode-agent.jar");
        server = Daemon.start("agent-serve", dir.resolve("serve.log"),
                List.of("env", "HEADNODE_AGENT_JAR=" + jar, launcher, "serve", "--root", dir.toString(), "--port", "0"));
        String[] port = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher m = LISTENING.matcher(server.logText());
            port[0] = m.find() ? m.group(1) : null;
            return port[0] != null;
        });
        address = new InetSocketAddress("127.0.0.1", Integer.parseInt(port[0]));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void assertAliveAndServing() {
        assertThat(server.isAlive()).as("server process (it exits on OutOfMemoryError)").isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> LoopbackFlood.fetch("127.0.0.2", address, "/small.txt") == 200);
        assertThat(server.logText()).doesNotContain("OutOfMemoryError");
    }

    @Test
    void idleFloodFromOneAddressLeavesOtherClientsServed() throws IOException {
        try (LoopbackFlood flood = LoopbackFlood.open(address, FLOOD, 1, new byte[0])) {
            for (int i = 0; i < 5; i++) {
                assertThat(LoopbackFlood.fetch("127.0.0.2", address, "/small.txt")).isEqualTo(200);
            }
            int perAddress = HttpLimits.defaults(Duration.ofSeconds(10)).maxPerAddress();
            await().atMost(Duration.ofSeconds(30)).until(() -> flood.closedByServer() >= FLOOD - perAddress);
            assertAliveAndServing();
        }
    }

    @Test
    void theWholeCapAfterLargeRequestHeadsFitsTheHeap() throws IOException {
        // 32 addresses x 128: every connection the cap admits, each after a request with a 4,000-byte header line
        try (LoopbackFlood flood = LoopbackFlood.open(address, FLOOD, 32, LoopbackFlood.head(4000, true))) {
            assertThat(flood.closedByServer()).isLessThan(FLOOD / 2);
            assertThat(server.isAlive()).isTrue();
        }
        assertAliveAndServing();
    }

    @Test
    void slowSendersOnEveryConnectionFitTheHeap() throws IOException {
        // unfinished heads of 60 header lines each: most are refused (requests in progress are capped), none kills it
        try (LoopbackFlood flood = LoopbackFlood.open(address, FLOOD, 32, LoopbackFlood.head(3000, false))) {
            int inProgress = HttpLimits.defaults(Duration.ofSeconds(10)).maxRequestsInProgress();
            await().atMost(Duration.ofSeconds(30)).until(() -> flood.closedByServer() >= FLOOD - inProgress);
            assertThat(server.isAlive()).isTrue();
        }
        assertAliveAndServing();
    }
}
