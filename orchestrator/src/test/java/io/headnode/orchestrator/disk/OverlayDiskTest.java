package io.headnode.orchestrator.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.orchestrator.TestSpecs;
import io.headnode.orchestrator.reconcile.DiskStep;
import io.headnode.orchestrator.reconcile.Plan;
import io.headnode.orchestrator.reconcile.RemoveDiskStep;
import io.headnode.orchestrator.reconcile.StepContext;
import io.headnode.orchestrator.reconcile.action.CreateOverlay;
import io.headnode.orchestrator.reconcile.action.RemoveOverlay;
import io.headnode.orchestrator.render.DomainRendererTest;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actual overlay -> the disk steps' actions, and the overlays qemu-img makes for them. */
class OverlayDiskTest {
    @TempDir
    Path tmp;
    final OverlayDisk disk = new OverlayDisk(new ProcessCommandRunner(List.of()));

    Plan plan(HeadnodeSpec spec) throws Exception {
        return new DiskStep(disk, new HeadnodePaths(DomainRendererTest.config(tmp))).plan(new StepContext(spec));
    }

    @Test
    void overlayOverRawAndQcow2ImagesIsIdempotent() throws Exception {
        int vlan = 10;
        for (String format : List.of("raw", "qcow2")) {
            vlan++;
            Path image = tmp.resolve("base." + format);
            Command.check("qemu-img", "create", "-q", "-f", format, image.toString(), "1G");
            Path overlay = tmp.resolve("state/disks/headnode-vlan" + vlan + ".qcow2");
            HeadnodeSpec spec = TestSpecs.spec(vlan, "br0", image);
            StepContext ctx = new StepContext(spec);
            Plan p = new DiskStep(disk, new HeadnodePaths(DomainRendererTest.config(tmp))).plan(ctx);
            assertThat(p.actions()).containsExactly(new CreateOverlay(disk, image, overlay));
            assertThat(p.actions().get(0).describe()).isEqualTo("create overlay " + overlay + " over " + image);
            assertThat(ctx.restartNeeded()).as("a running domain writes to the deleted file").isTrue();
            assertThat(overlay).doesNotExist();
            p.actions().get(0).apply();
            assertThat(disk.info(overlay)).isEqualTo(new OverlayDisk.Info("qcow2", Optional.of(image.toString())));
            assertThat(QcowHeader.backingFile(overlay)).contains(image.toString());
            assertThat(Command.check("qemu-img", "info", overlay.toString()).stdout()).contains("backing file format: " + format);
            assertThat(plan(spec).actions()).isEmpty();
            assertThat(OverlayDisk.partial(overlay)).doesNotExist();
        }
        assertThat(QcowHeader.backingFile(tmp.resolve("base.raw"))).isEmpty();
        assertThat(QcowHeader.backingFile(tmp.resolve("base.qcow2"))).isEmpty();
    }

    @Test
    void missingImageAndForeignOverlayAreClearErrors() throws Exception {
        Path missing = tmp.resolve("nope.qcow2");
        assertThatThrownBy(() -> plan(TestSpecs.spec(10, "br0", missing))).hasMessageContaining("image " + missing + " does not exist");
        Path a = tmp.resolve("a.qcow2");
        Path b = tmp.resolve("b.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", a.toString(), "16M");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", b.toString(), "16M");
        plan(TestSpecs.spec(10, "br0", a)).actions().get(0).apply();
        assertThatThrownBy(() -> plan(TestSpecs.spec(10, "br0", b))).hasMessageContaining("has backing file " + a + ", not " + b);
    }

    @Test
    void removeTakesTheOverlayAndALeftOverPartialButNeverTheImage() throws Exception {
        Path image = tmp.resolve("a.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "16M");
        HeadnodeSpec spec = TestSpecs.spec(10, "br0", image);
        plan(spec).actions().get(0).apply();
        Path overlay = tmp.resolve("state/disks/headnode-vlan10.qcow2");
        Files.writeString(OverlayDisk.partial(overlay), "half made");
        RemoveDiskStep remove = new RemoveDiskStep(disk, new HeadnodePaths(DomainRendererTest.config(tmp)));
        StepContext ctx = new StepContext(spec.markedAbsent(false));
        Plan p = remove.plan(ctx);
        assertThat(p.actions()).containsExactly(new RemoveOverlay(disk, overlay));
        p.actions().get(0).apply();
        assertThat(overlay).doesNotExist();
        assertThat(OverlayDisk.partial(overlay)).doesNotExist();
        assertThat(image).exists();
        assertThat(remove.plan(ctx).actions()).isEmpty();
        Files.writeString(OverlayDisk.partial(overlay), "a crash while creating");
        assertThat(remove.plan(ctx).actions()).as("a half-made overlay alone is removed too").containsExactly(new RemoveOverlay(disk, overlay));
    }
}
