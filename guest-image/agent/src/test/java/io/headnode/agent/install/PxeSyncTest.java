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
    void writesBothFormsPerActiveInstallAndRemovesOnlyTheAgentsOthers(@TempDir Path dir) throws Exception {
        PxeConfigs configs = new PxeConfigs(dir.resolve("pxelinux.cfg"));
        PxeConfigs grub = PxeConfigs.grub(dir.resolve("grub"));
        PxeSync sync = new PxeSync(configs, grub, new InstallTemplates(new Templates(null), 80));
        InstallSite site = InstallFixtures.site();
        InstallBook book = twoRequested();
        Path operators = Files.createDirectories(dir.resolve("pxelinux.cfg")).resolve("01-52-54-00-00-00-0c");
        Files.writeString(operators, "default local\n");
        Path operatorsGrub = Files.createDirectories(dir.resolve("grub")).resolve("grub.cfg-01-52-54-00-00-00-0c");
        Files.writeString(operatorsGrub, "exit\n");

        assertThat(sync.sync(book, site)).isEqualTo(new PxeSync.Result(4, 0));
        assertThat(Files.readString(configs.fileFor(A))).startsWith(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r1")
                .contains("ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a", "kernel centos/vmlinuz");
        assertThat(grub.fileFor(A)).isEqualTo(dir.resolve("grub/grub.cfg-01-52-54-00-00-00-0a"));
        assertThat(Files.readString(grub.fileFor(A))).startsWith(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r1")
                .contains("inst.ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a", "linux (http,10.0.5.1)/centos/vmlinuz",
                        "linux (tftp,10.0.5.1)/centos/vmlinuz");
        assertThat(sync.sync(book, site)).isEqualTo(new PxeSync.Result(0, 0));

        InstallBook done = book.with(book.node(A.value()).with(InstallState.INSTALLED, T, "installer reported success"));
        assertThat(sync.sync(done, site)).isEqualTo(new PxeSync.Result(0, 2));
        assertThat(configs.exists(A)).isFalse();
        assertThat(grub.exists(A)).isFalse();
        assertThat(configs.exists(B)).isTrue();
        assertThat(grub.exists(B)).isTrue();
        assertThat(operators).exists();
        assertThat(operatorsGrub).exists();
    }

    @Test
    void aProfileWithoutGrubTemplateStillWritesPxelinuxAndKeepsTheLastGoodGrubConfigs(@TempDir Path dir) throws Exception {
        PxeConfigs configs = new PxeConfigs(dir.resolve("pxelinux.cfg"));
        PxeConfigs grub = PxeConfigs.grub(dir.resolve("grub"));
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates.resolve("profiles/centos"));
        Path grubTemplate = templates.resolve("profiles/centos/grub.vm");
        Files.writeString(grubTemplate, "${marker} ${mac} request ${request}\nboot\n");
        PxeSync sync = new PxeSync(configs, grub, new InstallTemplates(new Templates(templates), 80));
        InstallSite site = InstallFixtures.site();
        InstallBook one = InstallBook.EMPTY.with(new NodeInstall(A.value(), InstallState.REQUESTED, "r1", "t".repeat(43), T, T, 0, true, ""));
        assertThat(sync.sync(one, site)).isEqualTo(new PxeSync.Result(2, 0));
        String good = Files.readString(grub.fileFor(A));

        // the shipped centos profile has a grub.vm: a profile without one is a different profile name
        InstallSite bare = new InstallSite(snapshotWithProfile("bare"), java.util.Map.of(A, "10.0.5.2", B, "10.0.5.3"));
        Files.createDirectories(templates.resolve("profiles/bare"));
        Files.copy(Path.of("src/main/resources/templates/profiles/centos/pxelinux.vm"), templates.resolve("profiles/bare/pxelinux.vm"));
        InstallBook two = one.with(new NodeInstall(B.value(), InstallState.REQUESTED, "r2", "u".repeat(43), T, T, 0, true, ""));
        assertThat(sync.sync(two, bare)).isEqualTo(new PxeSync.Result(2, 0));   // both pxelinux configs (A's new profile, B's)
        assertThat(configs.exists(B)).isTrue();
        assertThat(grub.exists(B)).isFalse();
        assertThat(Files.readString(grub.fileFor(A))).as("the last good GRUB config stays").isEqualTo(good);
    }

    static io.headnode.agent.share.ShareSnapshot snapshotWithProfile(String profile) throws Exception {
        var hc = io.headnode.contract.HeadnodeConfig.parse("headnode.conf", ("vlan = 5\nprivate-address = 10.0.5.1/24\ninstall-profile = "
                + profile + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var ml = io.headnode.contract.MachineList.parse("machines.txt",
                (A + " 10.1.0.10\n" + B + " 10.1.0.11\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new io.headnode.agent.share.ShareSnapshot(hc, ml);
    }

    static io.headnode.agent.share.ShareSnapshot snapshotWithProfileUnchecked(String profile) {
        try {
            return snapshotWithProfile(profile);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void syncChangedTouchesOnlyTheNodesWhoseRecordChanged(@TempDir Path dir) throws Exception {
        PxeConfigs configs = new PxeConfigs(dir.resolve("pxelinux.cfg"));
        PxeConfigs grub = PxeConfigs.grub(dir.resolve("grub"));
        PxeSync sync = new PxeSync(configs, grub, new InstallTemplates(new Templates(null), 80));
        InstallSite site = InstallFixtures.site();
        InstallBook book = twoRequested();
        assertThat(sync.syncChanged(InstallBook.EMPTY, book, site)).isEqualTo(new PxeSync.Result(4, 0));
        assertThat(configs.exists(A)).isTrue();
        assertThat(grub.exists(A)).isTrue();

        // B's file is gone behind the agent's back: a change-only sync does not look at B (the periodic full one does)
        Files.delete(configs.fileFor(B));
        InstallBook done = book.with(book.node(A.value()).with(InstallState.INSTALLED, T, "installer reported success"));
        assertThat(sync.syncChanged(book, done, site)).isEqualTo(new PxeSync.Result(0, 2));
        assertThat(configs.exists(A)).isFalse();
        assertThat(grub.exists(A)).isFalse();
        assertThat(configs.exists(B)).isFalse();
        assertThat(sync.sync(done, site)).isEqualTo(new PxeSync.Result(1, 0));
        assertThat(configs.exists(B)).isTrue();

        // an operator's own file for a node that leaves the book stays
        Path operators = configs.fileFor(A);
        Files.writeString(operators, "default local\n");
        assertThat(sync.syncChanged(done, InstallBook.EMPTY.with(done.node(B.value())), site)).isEqualTo(new PxeSync.Result(0, 0));
        assertThat(operators).exists();
    }

    /**
     * The side-by-side walk of two books: for random pairs of books over 12 MACs (records added, removed and changed at
     * the start, middle and end of the MAC order), a change-only sync from the first leaves exactly the files a full
     * sync of the second writes.
     */
    @Test
    void syncChangedLeavesWhatAFullSyncWritesForRandomPairsOfBooks(@TempDir Path dir) throws Exception {
        java.util.Random random = new java.util.Random(42);
        InstallSite site = InstallFixtures.site();
        InstallTemplates templates = new InstallTemplates(new Templates(null), 80);
        for (int round = 0; round < 40; round++) {
            InstallBook before = randomBook(random);
            InstallBook after = randomBook(random);
            Path changed = dir.resolve("changed-" + round);
            Path full = dir.resolve("full-" + round);
            PxeSync c = new PxeSync(new PxeConfigs(changed.resolve("pxelinux.cfg")), PxeConfigs.grub(changed.resolve("grub")), templates);
            PxeSync f = new PxeSync(new PxeConfigs(full.resolve("pxelinux.cfg")), PxeConfigs.grub(full.resolve("grub")), templates);
            c.sync(before, site);
            c.syncChanged(before, after, site);
            f.sync(after, site);
            assertThat(listing(changed)).as("round %d: %s -> %s", round, before.nodes().keySet(), after.nodes().keySet())
                    .isEqualTo(listing(full));
        }
    }

    private static InstallBook randomBook(java.util.Random random) {
        InstallBook b = InstallBook.EMPTY;
        for (int i = 0; i < 12; i++) {
            if (random.nextInt(3) > 0) {
                String mac = String.format("52:54:00:00:01:%02x", i);
                InstallState state = random.nextBoolean() ? InstallState.REQUESTED : InstallState.INSTALLED;
                b = b.with(new NodeInstall(mac, state, "r" + random.nextInt(2), "t".repeat(43), T, T, 0, true, ""));
            }
        }
        return b;
    }

    private static java.util.Map<String, String> listing(Path root) throws java.io.IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return out;
    }
}
