package io.headnode.agent.install;

import static io.headnode.agent.install.InstallFixtures.A;
import static io.headnode.agent.install.InstallFixtures.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallStoreTest {
    static final Instant T = Instant.parse("2026-11-25T00:00:00Z");
    @TempDir
    Path dir;

    static InstallBook book() {
        NodeInstall a = new NodeInstall(A.value(), InstallState.INSTALLING, "r1", "t".repeat(43), T, T.plusSeconds(5), 1, false, "installer booted (attempt 1)");
        NodeInstall b = new NodeInstall(B.value(), InstallState.INSTALLED, "r1", null, T, T.plusSeconds(9), 1, false, "installer reported success");
        return new InstallBook(Set.of("r1", "r0"), Map.of(A.value(), a, B.value(), b));
    }

    @Test
    void savesAtomicallyWithMode0600AndLoadsTheSameValue() throws Exception {
        InstallStore store = new InstallStore(dir.resolve("state/installs.json"));
        assertThat(store.load()).isEqualTo(InstallBook.EMPTY);
        store.save(book());
        Path f = dir.resolve("state/installs.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(Files.readString(f)).contains("\"done-requests\"", "\"r0\"", "\"2026-11-25T00:00:05Z\"");
        try (var s = Files.list(f.getParent())) {
            assertThat(s).containsExactly(f);   // no temp file left behind
        }
        assertThat(new InstallStore(f).load()).isEqualTo(book());
    }

    @Test
    void readsTheFormatEarlierAgentsWrote() throws Exception {
        Path f = dir.resolve("installs.json");
        Files.writeString(f, "{\n  \"done-requests\" : [ \"r1\" ],\n  \"nodes\" : {\n    \"52:54:00:00:00:0a\" : {\n"
                + "      \"mac\" : \"52:54:00:00:00:0a\", \"state\" : \"REQUESTED\", \"requestId\" : \"r1\", \"token\" : \"" + "x".repeat(43) + "\",\n"
                + "      \"requestedAt\" : \"2026-11-25T00:00:00Z\", \"changedAt\" : \"2026-11-25T00:00:00Z\", \"boots\" : 0,\n"
                + "      \"powerPending\" : true, \"detail\" : \"install requested; power cycle pending\"\n    }\n  }\n}\n");
        InstallBook b = new InstallStore(f).load();
        assertThat(b.ran("r1")).isTrue();
        assertThat(b.node(A.value()).powerPending()).isTrue();
        assertThat(b.node(A.value()).requestedAt()).isEqualTo(T);
    }

    @Test
    void aDamagedFileIsAnErrorNamingIt() throws IOException {
        Path f = dir.resolve("installs.json");
        Files.writeString(f, "{\"nodes\": {\"52:54:00:00:00:0a\": {\"mac\": \"52:54:00:00:00:0b\", \"state\": \"KNOWN\", \"changedAt\": \"2026-11-25T00:00:00Z\"}}}");
        assertThatThrownBy(() -> new InstallStore(f).load()).isInstanceOf(IOException.class).hasMessageStartingWith(f + ": not a valid install state");
        Files.writeString(f, "{\"nodes\": ");
        assertThatThrownBy(() -> new InstallStore(f).load()).isInstanceOf(IOException.class).hasMessageContaining(f.toString());
    }
}
