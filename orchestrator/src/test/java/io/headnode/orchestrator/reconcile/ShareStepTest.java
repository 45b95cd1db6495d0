package io.headnode.orchestrator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.orchestrator.TestSpecs;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.reconcile.action.Action;
import io.headnode.orchestrator.reconcile.action.CreateDirectory;
import io.headnode.orchestrator.reconcile.action.DeleteTree;
import io.headnode.orchestrator.reconcile.action.MakeFileReadable;
import io.headnode.orchestrator.reconcile.action.MakeReadable;
import io.headnode.orchestrator.reconcile.action.WriteDefaultConfig;
import io.headnode.orchestrator.reconcile.action.WriteInstallKey;
import io.headnode.contract.InstallKey;
import java.security.SecureRandom;
import io.headnode.orchestrator.render.DomainRendererTest;
import io.headnode.orchestrator.share.ShareDirectory;
import io.headnode.orchestrator.spec.HeadnodePaths;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actual share directory -> the share steps' actions (applied, they converge: a second plan is empty). */
class ShareStepTest {
    @TempDir
    Path tmp;
    ShareDirectory share;
    Path root;
    Path dir;

    @BeforeEach
    void share() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        HostConfig c = DomainRendererTest.config(tmp);
        share = new ShareDirectory(new HeadnodePaths(c), c);
        root = c.shareRoot();
        dir = root.resolve("100");
    }

    static void apply(Plan p) throws Exception {
        for (Action a : p.actions()) {
            a.apply();
        }
    }

    @Test
    void aMissingShareIsCreatedWithItsConfigAndRestartsTheDomain() throws Exception {
        StepContext ctx = new StepContext(TestSpecs.spec(100));
        Plan p = new ShareStep(share).plan(ctx);
        assertThat(p.actions()).containsExactly(new CreateDirectory(root), new CreateDirectory(dir),
                new WriteDefaultConfig(dir.resolve("headnode.conf"), new Vlan(100)), new WriteInstallKey(dir.resolve("install.key"), share),
                new CreateDirectory(tmp.resolve("headnode-images")));
        assertThat(ctx.restartNeeded()).as("a running QEMU exports the deleted directory").isTrue();
        assertThat(root).doesNotExist();
        apply(p);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(dir.resolve("headnode.conf"))).contains("vlan = 100");
        StepContext again = new StepContext(TestSpecs.spec(100));
        assertThat(new ShareStep(share).plan(again).actions()).isEmpty();
        assertThat(again.restartNeeded()).isFalse();
    }

    @Test
    void anUnreadableDirectoryIsMadeReadableWithoutARestart() throws Exception {
        Files.createDirectories(dir);
        Files.createDirectories(tmp.resolve("headnode-images"));
        Files.setPosixFilePermissions(tmp.resolve("headnode-images"), PosixFilePermissions.fromString("rwx------"));
        Files.writeString(dir.resolve("headnode.conf"), "vlan = 100\n");
        share.writeSecret(dir.resolve("install.key"), InstallKey.generate(new SecureRandom()).render());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        StepContext ctx = new StepContext(TestSpecs.spec(100));
        Plan p = new ShareStep(share).plan(ctx);
        assertThat(p.actions()).containsExactly(new MakeReadable(dir, "libvirt-qemu"), new MakeReadable(tmp.resolve("headnode-images"), "libvirt-qemu"));
        assertThat(p.actions().get(0).describe()).isEqualTo("make " + dir + " readable by libvirt-qemu (mode 0755)");
        assertThat(ctx.restartNeeded()).isFalse();
        apply(p);
        assertThat(new ShareStep(share).plan(new StepContext(TestSpecs.spec(100))).actions()).isEmpty();
    }

    @Test
    void shareFilesQemuCannotReadGetTheirModesBackAndKeepTheirContent() throws Exception {
        Files.createDirectories(dir.resolve("requests"));
        Files.createDirectories(tmp.resolve("headnode-images"));
        Files.writeString(dir.resolve("headnode.conf"), "vlan = 100\n");
        Files.writeString(dir.resolve("machines.txt"), "52:54:00:aa:00:01 10.0.0.1\n");
        share.writeSecret(dir.resolve("install.key"), InstallKey.generate(new SecureRandom()).render());
        Files.writeString(dir.resolve("requests/r1.install"), "x\n");
        Files.setPosixFilePermissions(dir.resolve("machines.txt"), PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(dir.resolve("requests/r1.install"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("requests"), PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc/shadow"));
        StepContext ctx = new StepContext(TestSpecs.spec(100));
        Plan p = new ShareStep(share).plan(ctx);
        assertThat(p.actions()).containsExactly(new MakeReadable(dir.resolve("requests"), "libvirt-qemu"),
                new MakeFileReadable(dir.resolve("machines.txt"), "libvirt-qemu", MakeFileReadable.PLAIN),
                new MakeFileReadable(dir.resolve("requests/r1.install"), "libvirt-qemu", MakeFileReadable.PLAIN));
        assertThat(p.actions().get(1).describe()).isEqualTo("make " + dir.resolve("machines.txt") + " readable by libvirt-qemu (mode 0644)");
        assertThat(ctx.restartNeeded()).isFalse();
        apply(p);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("machines.txt")))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(dir.resolve("machines.txt"))).isEqualTo("52:54:00:aa:00:01 10.0.0.1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/etc/shadow")))).as("a symlink is not followed")
                .isNotEqualTo("rw-r--r--");
        assertThat(new ShareStep(share).plan(new StepContext(TestSpecs.spec(100))).actions()).isEmpty();
    }

    @Test
    void theInstallKeyIsMadeOnceAsASecretOfQemusUserAndNeverReplaced() throws Exception {
        apply(new ShareStep(share).plan(new StepContext(TestSpecs.spec(100))));
        Path key = dir.resolve("install.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.getOwner(key).getName()).isEqualTo("libvirt-qemu");
        InstallKey made = InstallKey.parse("install.key", Files.readAllBytes(key));
        WriteInstallKey again = new WriteInstallKey(key, share);
        assertThat(again.describe()).isEqualTo("write a new install key " + key + " (mode 0600, owner libvirt-qemu)")
                .doesNotContain(new String(made.render()).strip());
        again.apply();   // planned before another writer made one: that one stands
        assertThat(InstallKey.parse("install.key", Files.readAllBytes(key))).isEqualTo(made);
        assertThat(new ShareStep(share).plan(new StepContext(TestSpecs.spec(100))).actions()).isEmpty();
    }

    @Test
    void anInstallKeyQemusUserDoesNotOwnIsNeverMadeWorldReadable() throws Exception {
        apply(new ShareStep(share).plan(new StepContext(TestSpecs.spec(100))));
        Path key = dir.resolve("install.key");
        Files.setOwner(key, key.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        assertThat(new ShareStep(share).plan(new StepContext(TestSpecs.spec(100))).actions()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void aParentTheQemuUserCannotEnterIsNamed() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> new ShareStep(share).plan(new StepContext(TestSpecs.spec(100))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("cannot enter " + tmp);
    }

    @Test
    void theShareStaysUnlessPurged() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("machines.txt"), "");
        RemoveShareStep step = new RemoveShareStep(share);
        assertThat(step.plan(new StepContext(TestSpecs.spec(100).markedAbsent(false))).actions()).isEmpty();
        Plan purge = step.plan(new StepContext(TestSpecs.spec(100).markedAbsent(true)));
        assertThat(purge.actions()).containsExactly(new DeleteTree(dir));
        assertThat(purge.actions().get(0).describe()).isEqualTo("purge " + dir);
        apply(purge);
        assertThat(dir).doesNotExist();
        assertThat(root).exists();
        assertThat(step.plan(new StepContext(TestSpecs.spec(100).markedAbsent(true))).actions()).isEmpty();
    }
}
