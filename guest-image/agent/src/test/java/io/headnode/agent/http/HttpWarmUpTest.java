package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpWarmUpTest {
    @Test
    void sendsEachRequestThroughTheRealServerAndReportsItsStatusLineUncounted(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("shimx64.efi"), new byte[3 * HttpWarmUp.MAX_BYTES]);   // larger than what is read
        Files.createDirectories(dir.resolve("grub"));
        Files.writeString(dir.resolve("grub/grub.cfg"), "exit\n");
        StaticFiles files = new StaticFiles(dir);
        List<Integer> answered = new CopyOnWriteArrayList<>();
        try (HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 1, HttpLimits.defaults(Duration.ofSeconds(10)),
                files::serve, answered::add)) {
            HttpWarmUp.Result r = HttpWarmUp.run(server.address(), List.of(
                    new HttpWarmUp.Request("HEAD", "/shimx64.efi"),
                    new HttpWarmUp.Request("GET", "/grub/grub.cfg"),
                    new HttpWarmUp.Request("GET", "/shimx64.efi"),
                    new HttpWarmUp.Request("GET", "/missing")), Duration.ofSeconds(20));
            assertThat(r.complete()).isTrue();
            assertThat(r.answers()).containsExactly(
                    "HEAD /shimx64.efi: HTTP/1.1 200 OK",
                    "GET /grub/grub.cfg: HTTP/1.1 200 OK",
                    "GET /shimx64.efi: HTTP/1.1 200 OK",
                    "GET /missing: HTTP/1.1 404 Not Found");
            assertThat(answered).as("the warm-up's own answers are not counted").isEmpty();
            // a node's request (any other user agent) is counted, also while and after the warm-up ran
            java.net.http.HttpResponse<String> node = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.address().getPort() + "/grub/grub.cfg"))
                            .header("User-Agent", "UefiHttpBoot/1.0").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(node.body()).isEqualTo("exit\n");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !answered.isEmpty());
            assertThat(answered).containsExactly(200);
        }
    }

    @Test
    void aServerThatDoesNotAnswerEndsTheWarmUpWithinItsTimeoutAndNeverThrows() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {   // accepts, never answers
            long start = System.nanoTime();
            HttpWarmUp.Result r = HttpWarmUp.run((InetSocketAddress) silent.getLocalSocketAddress(), List.of(
                    new HttpWarmUp.Request("HEAD", "/a"), new HttpWarmUp.Request("GET", "/b")), Duration.ofMillis(600));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(r.complete()).isFalse();
            assertThat(r.answers()).hasSize(2);
            assertThat(r.answers().get(0)).startsWith("HEAD /a: java.net.SocketTimeoutException");
            assertThat(r.answers().get(1)).startsWith("GET /b: not sent");
        }
    }

    @Test
    void requestsAreGetOrHeadOfAPrintablePathOnly() {
        assertThatThrownBy(() -> new HttpWarmUp.Request("POST", "/a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpWarmUp.Request("GET", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpWarmUp.Request("GET", "/a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpWarmUp.Request("GET", "/a\r\nX: y")).isInstanceOf(IllegalArgumentException.class);
    }
}
