package io.headnode.agent.install;

import static io.headnode.agent.install.InstallFixtures.A;
import static io.headnode.agent.install.InstallFixtures.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.render.Templates;
import io.headnode.agent.tftp.PxeConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PxeSyncTest {
    static final Instant T = Instant.parse("2026-11-25T00:00:00Z");

    /** A and B requested by r1. */
    static InstallBook twoRequested() {
        return InstallBook.EMPTY
                .with(new NodeInstall(A.value(), InstallState.REQUESTED, "r1", "t".repeat(43), T, T, 0, true, ""))
                .with(new NodeInstall(B.value(), InstallState.REQUESTED, "r1", "u".repeat(43), T, T, 0, true, ""));
    }

    @Test
    void writesAConfigPerActiveInstallAndRemovesOnlyTheAgentsOthers(@TempDir Path dir) throws Exception {
        PxeConfigs configs = new PxeConfigs(dir);
        PxeSync sync = new PxeSync(configs, new InstallTemplates(new Templates(null), 80));
        InstallSite site = InstallFixtures.site();
        InstallBook book = twoRequested();
        Path operators = dir.resolve("01-52-54-00-00-00-0c");
        Files.writeString(operators, "default local\n");

        assertThat(sync.sync(book, site)).isEqualTo(new PxeSync.Result(2, 0));
        assertThat(Files.readString(configs.fileFor(A))).startsWith(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r1")
                .contains("ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a", "kernel centos/vmlinuz");
        assertThat(sync.sync(book, site)).isEqualTo(new PxeSync.Result(0, 0));

        InstallBook done = book.with(book.node(A.value()).with(InstallState.INSTALLED, T, "installer reported success"));
        assertThat(sync.sync(done, site)).isEqualTo(new PxeSync.Result(0, 1));
        assertThat(configs.exists(A)).isFalse();
        assertThat(configs.exists(B)).isTrue();
        assertThat(operators).exists();
    }

    @Test
    void syncChangedTouchesOnlyTheNodesWhoseRecordChanged(@TempDir Path dir) throws Exception {
        PxeConfigs configs = new PxeConfigs(dir);
        PxeSync sync = new PxeSync(configs, new InstallTemplates(new Templates(null), 80));
        InstallSite site = InstallFixtures.site();
        InstallBook book = twoRequested();
        assertThat(sync.syncChanged(InstallBook.EMPTY, book, site)).isEqualTo(new PxeSync.Result(2, 0));
        assertThat(configs.exists(A)).isTrue();

        // B's file is gone behind the agent's back: a change-only sync does not look at B (the periodic full one does)
        Files.delete(configs.fileFor(B));
        InstallBook done = book.with(book.node(A.value()).with(InstallState.INSTALLED, T, "installer reported success"));
        assertThat(sync.syncChanged(book, done, site)).isEqualTo(new PxeSync.Result(0, 1));
        assertThat(configs.exists(A)).isFalse();
        assertThat(configs.exists(B)).isFalse();
        assertThat(sync.sync(done, site)).isEqualTo(new PxeSync.Result(1, 0));
        assertThat(configs.exists(B)).isTrue();

        // an operator's own file for a node that leaves the book stays
        Path operators = configs.fileFor(A);
        Files.writeString(operators, "default local\n");
        assertThat(sync.syncChanged(done, InstallBook.EMPTY.with(done.node(B.value())), site)).isEqualTo(new PxeSync.Result(0, 0));
        assertThat(operators).exists();
    }
}
