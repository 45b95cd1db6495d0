package io.headnode.agent.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstallBookTest {
    static final Instant T = Instant.parse("2026-11-25T00:00:00Z");

    static NodeInstall node(String mac, InstallState state) {
        return new NodeInstall(mac, state, "r1", "t".repeat(43), T, T, 0, true, "");
    }

    @Test
    void booksWithTheSameRecordsAreEqualHoweverTheyWereBuilt() {
        InstallBook a = InstallBook.EMPTY.with(node("52:54:00:00:00:0b", InstallState.REQUESTED))
                .with(node("52:54:00:00:00:0a", InstallState.REQUESTED)).withDone("r1");
        InstallBook b = new InstallBook(Set.of("r1"), Map.of("52:54:00:00:00:0a", node("52:54:00:00:00:0a", InstallState.REQUESTED),
                "52:54:00:00:00:0b", node("52:54:00:00:00:0b", InstallState.REQUESTED)));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.nodes().keySet()).containsExactly("52:54:00:00:00:0a", "52:54:00:00:00:0b");
    }

    @Test
    void aChangedRecordAMissingOneOrAnotherRequestMakesBooksDiffer() {
        InstallBook a = InstallBook.EMPTY.with(node("52:54:00:00:00:0a", InstallState.REQUESTED))
                .with(node("52:54:00:00:00:0b", InstallState.REQUESTED)).with(node("52:54:00:00:00:0c", InstallState.REQUESTED));
        assertThat(a.with(node("52:54:00:00:00:0b", InstallState.INSTALLED))).isNotEqualTo(a);
        assertThat(a.with(node("52:54:00:00:00:0d", InstallState.REQUESTED))).isNotEqualTo(a);
        assertThat(InstallBook.EMPTY.with(node("52:54:00:00:00:0a", InstallState.REQUESTED))).isNotEqualTo(a);
        assertThat(a.withDone("r9")).isNotEqualTo(a);
        assertThat(a.with(a.node("52:54:00:00:00:0b"))).isEqualTo(a);
    }

    @Test
    void aRecordFiledUnderAnotherMacIsRefused() {
        assertThatThrownBy(() -> new InstallBook(Set.of(), Map.of("52:54:00:00:00:0a", node("52:54:00:00:00:0b", InstallState.REQUESTED))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filed under 52:54:00:00:00:0a");
    }
}
