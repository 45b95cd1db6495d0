package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.install.InstallEndpoints;
import io.headnode.agent.net.Neighbours;
import io.headnode.common.exec.CommandException;
import io.headnode.contract.MacAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kickstart and callback routes reach the installs only from the address the node's own MAC holds. */
class AgentRoutesTest {
    static final String NODE = "52:54:00:aa:00:0a";
    static final String INTRUDER = "52:54:00:ee:00:01";
    static final String TOKEN = "A".repeat(43);
    final Map<String, String> table = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    boolean tableBroken;

    final Neighbours neighbours = address -> {
        if (tableBroken) {
            throw new CommandException("ip -json neigh show: timed out");
        }
        return Optional.ofNullable(table.get(address)).map(MacAddress::parse);
    };
    final InstallEndpoints installs = new InstallEndpoints() {
        @Override
        public Answer kickstart(MacAddress mac, String source) {
            calls.add("kickstart " + mac + " " + source);
            return new Answer(200, "ks\n");
        }

        @Override
        public CompletableFuture<Answer> callback(MacAddress mac, String source, String token) {
            calls.add("callback " + mac + " " + source);
            return CompletableFuture.completedFuture(new Answer(200, "ok\n"));
        }
    };

    AgentRoutes routes(Path root) {
        try {
            return new AgentRoutes(new StaticFiles(root), installs, neighbours);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static HttpRequest get(String path, String source) {
        return new HttpRequest("GET", path, Map.of(), new byte[0], source);
    }

    static HttpRequest post(String path, String source) {
        return new HttpRequest("POST", path, Map.of(), ("token=" + TOKEN).getBytes(StandardCharsets.US_ASCII), source);
    }

    @Test
    void theNodesOwnMacAtTheSourceAddressReachesTheInstalls(@TempDir Path root) {
        table.put("10.0.5.2", NODE);
        assertThat(routes(root).handle(get("/ks/01-52-54-00-aa-00-0a", "10.0.5.2")).status()).isEqualTo(200);
        assertThat(routes(root).handle(post("/boot-default/01-52-54-00-aa-00-0a", "10.0.5.2")).status()).isEqualTo(200);
        assertThat(calls).containsExactly("kickstart 52:54:00:aa:00:0a 10.0.5.2", "callback 52:54:00:aa:00:0a 10.0.5.2");
    }

    @Test
    void anotherMacHoldingTheNodesAddressGetsNothingAndChangesNothing(@TempDir Path root) {
        table.put("10.0.5.2", INTRUDER);
        assertThat(routes(root).handle(get("/ks/01-52-54-00-aa-00-0a", "10.0.5.2")).status()).isEqualTo(403);
        assertThat(routes(root).handle(post("/boot-default/01-52-54-00-aa-00-0a", "10.0.5.2")).status()).isEqualTo(403);
        assertThat(calls).as("no boot attempt counted, no callback decided").isEmpty();
    }

    @Test
    void anUnresolvedSourceOrAnUnreadableTableIsRefused(@TempDir Path root) {
        assertThat(routes(root).handle(get("/ks/01-52-54-00-aa-00-0a", "10.0.5.2")).status()).isEqualTo(403);
        tableBroken = true;
        table.put("10.0.5.2", NODE);
        assertThat(routes(root).handle(get("/ks/01-52-54-00-aa-00-0a", "10.0.5.2")).status()).isEqualTo(503);
        assertThat(routes(root).handle(post("/boot-default/01-52-54-00-aa-00-0a", "10.0.5.2")).status()).isEqualTo(503);
        assertThat(calls).isEmpty();
    }

    @Test
    void staticFilesNeedNoLookup(@TempDir Path root) throws Exception {
        java.nio.file.Files.writeString(root.resolve("pxelinux.0"), "pxe");
        tableBroken = true;
        assertThat(routes(root).handle(get("/pxelinux.0", "10.0.5.2")).status()).isEqualTo(200);
    }

    /** Found by fuzzing the request handling: a multicast MAC in the path escaped MacAddress's refusal as a 500. */
    @Test
    void aPathNamingAMulticastMacIsNotFoundNotAServerError(@TempDir Path root) {
        table.put("10.0.0.2", "01:00:5e:00:00:01");
        assertThat(routes(root).handle(get("/ks/01-51-54-00-aa-00-02?x=1", "10.0.0.2")).status()).isEqualTo(404);
        assertThat(routes(root).handle(post("/boot-default/01-01-00-5e-00-00-01", "10.0.0.2")).status()).isEqualTo(404);
        assertThat(calls).isEmpty();
    }

    @Test
    void aNoCloudSeedCountsOnlyItsUserDataAsTheKickstart(@TempDir Path root) {
        table.put("10.0.5.2", NODE);
        HttpResponse meta = routes(root).handle(get("/ks/01-52-54-00-aa-00-0a/meta-data", "10.0.5.2"));
        assertThat(meta.status()).isEqualTo(200);
        assertThat(new String(meta.body(), StandardCharsets.UTF_8)).isEqualTo("instance-id: headnode-01-52-54-00-aa-00-0a\n");
        assertThat(routes(root).handle(get("/ks/01-52-54-00-aa-00-0a/vendor-data", "10.0.5.2")).status()).isEqualTo(200);
        assertThat(calls).as("meta-data and vendor-data count no boot attempt").isEmpty();
        assertThat(routes(root).handle(get("/ks/01-52-54-00-aa-00-0a/user-data", "10.0.5.2")).status()).isEqualTo(200);
        assertThat(calls).containsExactly("kickstart 52:54:00:aa:00:0a 10.0.5.2");
        assertThat(routes(root).handle(get("/ks/01-52-54-00-aa-00-0a/network-config", "10.0.5.2")).status()).isEqualTo(404);
        table.put("10.0.5.2", INTRUDER);
        assertThat(routes(root).handle(get("/ks/01-52-54-00-aa-00-0a/meta-data", "10.0.5.2")).status()).isEqualTo(403);
    }
}
