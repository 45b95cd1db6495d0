package io.headnode.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Vlan;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStatusReaderTest {
    @TempDir
    Path tmp;

    /** Serves {@code bytes} to the first client on a unix socket, then holds the connection until the test is done. */
    Thread serve(ServerSocketChannel server, CountDownLatch done, byte[]... chunks) {
        Thread t = new Thread(() -> {
            try (SocketChannel c = server.accept()) {
                for (byte[] chunk : chunks) {
                    c.write(ByteBuffer.wrap(chunk));
                }
                done.await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // test ends
            }
        });
        t.start();
        return t;
    }

    @Test
    void returnsTheLatestCompleteJsonLine() throws Exception {
        Path sock = tmp.resolve("s");
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = serve(server, done, "{\"state\":\"booting\"}\nnoise\n{\"state\":\"ready\",\"machines\":3}\n{\"partial\"".getBytes(StandardCharsets.UTF_8));
            assertThat(AgentStatusReader.latest(sock, Duration.ofMillis(500))).contains("{\"state\":\"ready\",\"machines\":3}");
            done.countDown();
            t.join();
        }
    }

    @Test
    void parsesTheLatestValidStatusLineIntoTheContractsRecord() throws Exception {
        AgentStatus first = new AgentStatus(false, AgentStatus.Share.missing(), null, List.of(), 0, Map.of(), Instant.parse("2026-11-25T01:00:00Z"));
        AgentStatus second = new AgentStatus(true, AgentStatus.Share.mounted(), new Vlan(100),
                List.of(new MachineStatus(MacAddress.parse("52:54:00:aa:00:01"), MachineState.INSTALLED, "10.100.0.2",
                        Instant.parse("2026-11-25T01:00:05Z"), "installer reported success — ok")),
                0, Map.of("dhcpd", Health.ok("running")), Instant.parse("2026-11-25T01:00:10Z"));
        byte[] line = (second.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        int cut = second.toJson().indexOf('—') + 1;   // split inside a multi-byte character
        Path sock = tmp.resolve("s");
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = serve(server, done, (first.toJson() + "\n{\"not\":\"a status\"}\n").getBytes(StandardCharsets.UTF_8),
                    java.util.Arrays.copyOfRange(line, 0, cut), java.util.Arrays.copyOfRange(line, cut, line.length),
                    "{\"ready\":".getBytes(StandardCharsets.UTF_8));
            assertThat(AgentStatusReader.read(sock, Duration.ofMillis(500))).contains(second);
            done.countDown();
            t.join();
        }
    }

    @Test
    void nothingWhenThereIsNoSocketOrNoData() throws Exception {
        assertThat(AgentStatusReader.latest(tmp.resolve("none"), Duration.ofMillis(100))).isEmpty();
        assertThat(AgentStatusReader.read(tmp.resolve("none"), Duration.ofMillis(100))).isEmpty();
        Path sock = tmp.resolve("quiet");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            assertThat(AgentStatusReader.read(sock, Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void readFreshSkipsAHeldBackOldLineAndReturnsAtTheFirstFreshOneWithoutWaitingForTheTimeout() throws Exception {
        Instant now = Instant.parse("2026-11-25T02:00:00Z");
        AgentStatus old = new AgentStatus(false, AgentStatus.Share.missing(), null, List.of(), 0, Map.of(), now.minusSeconds(3600));
        AgentStatus fresh = new AgentStatus(true, AgentStatus.Share.mounted(), new Vlan(100), List.of(), 0, Map.of(), now.minusSeconds(3));
        Path sock = tmp.resolve("s");
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = serve(server, done, (old.toJson() + "\n" + fresh.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            assertThat(AgentStatusReader.readFresh(sock, Duration.ofSeconds(30), now, Duration.ofSeconds(20))).contains(fresh);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            done.countDown();
            t.join();
        }
        CountDownLatch done2 = new CountDownLatch(1);
        Path onlyOld = tmp.resolve("old");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(onlyOld));
            Thread t = serve(server, done2, (old.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            assertThat(AgentStatusReader.readFresh(onlyOld, Duration.ofMillis(300), now, Duration.ofSeconds(20))).contains(old);
            done2.countDown();
            t.join();
        }
    }

    @Test
    void readFreshReturnsTheNewerLineTheAgentWritesRightAfterTheFirstFreshOne() throws Exception {
        // The agent writes the line held back while no host listened, then at once its newest one ("ready"). A reader
        // that closed at the first fresh line made QEMU drop the newest, which then waited for the next interval.
        Instant now = Instant.parse("2026-11-25T02:00:00Z");
        AgentStatus booting = new AgentStatus(false, AgentStatus.Share.mounted(), new Vlan(100), List.of(), 0, Map.of(), now.minusSeconds(2));
        AgentStatus ready = new AgentStatus(true, AgentStatus.Share.mounted(), new Vlan(100), List.of(), 0, Map.of(), now.minusSeconds(1));
        Path sock = tmp.resolve("s");
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.write(ByteBuffer.wrap((booting.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
                    Thread.sleep(50); // the guest's writer thread, a moment later
                    c.write(ByteBuffer.wrap((ready.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
                    done.await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // test ends
                }
            });
            t.start();
            long start = System.nanoTime();
            assertThat(AgentStatusReader.readFresh(sock, Duration.ofSeconds(30), now, Duration.ofSeconds(20))).contains(ready);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            done.countDown();
            t.join();
        }
    }
}
