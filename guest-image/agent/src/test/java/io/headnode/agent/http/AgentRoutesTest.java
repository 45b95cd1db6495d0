package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.install.InstallEndpoints;
import io.headnode.contract.MacAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRoutesTest {
    /** Found by fuzzing the request handling: a multicast MAC in the path escaped MacAddress's refusal as a 500. */
    @Test
    void aPathNamingAMulticastMacIsNotFoundNotAServerError(@TempDir Path root) throws Exception {
        InstallEndpoints never = new InstallEndpoints() {
            @Override
            public Answer kickstart(MacAddress mac, String source) {
                throw new AssertionError("not reached");
            }

            @Override
            public CompletableFuture<Answer> callback(MacAddress mac, String source, String token) {
                throw new AssertionError("not reached");
            }
        };
        AgentRoutes routes = new AgentRoutes(new StaticFiles(root), never);
        assertThat(routes.handle(new HttpRequest("GET", "/ks/01-51-54-00-aa-00-02?x=1", Map.of(), new byte[0], "10.0.0.2")).status())
                .isEqualTo(404);
        byte[] body = ("token=" + "A".repeat(43)).getBytes(StandardCharsets.US_ASCII);
        assertThat(routes.handle(new HttpRequest("POST", "/boot-default/01-01-00-5e-00-00-01", Map.of(), body, "10.0.0.2")).status())
                .isEqualTo(404);
    }
}
