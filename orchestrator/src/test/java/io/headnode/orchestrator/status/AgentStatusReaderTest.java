package io.headnode.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStatusReaderTest {
    @TempDir
    Path tmp;

    @Test
    void returnsTheLatestCompleteJsonLine() throws Exception {
        Path sock = tmp.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.write(ByteBuffer.wrap("{\"state\":\"booting\"}\nnoise\n{\"state\":\"ready\",\"machines\":3}\n{\"partial\"".getBytes(StandardCharsets.UTF_8)));
                    Thread.sleep(1500);
                } catch (Exception e) {
                    // test ends
                }
            });
            t.start();
            assertThat(AgentStatusReader.latest(sock, Duration.ofMillis(500))).contains("{\"state\":\"ready\",\"machines\":3}");
            t.join();
        }
    }

    @Test
    void nothingWhenThereIsNoSocketOrNoData() throws Exception {
        assertThat(AgentStatusReader.latest(tmp.resolve("none"), Duration.ofMillis(100))).isEmpty();
        Path sock = tmp.resolve("quiet");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            assertThat(AgentStatusReader.latest(sock, Duration.ofMillis(200))).isEmpty();
        }
    }
}
