package io.headnode.orchestrator.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayDiskTest {
    @TempDir
    Path tmp;
    final OverlayDisk disk = new OverlayDisk(new ProcessCommandRunner(List.of()));

    @Test
    void overlayOverRawAndQcow2ImagesIsIdempotent() throws Exception {
        for (String format : List.of("raw", "qcow2")) {
            Path image = tmp.resolve("base." + format);
            Command.check("qemu-img", "create", "-q", "-f", format, image.toString(), "1G");
            Path overlay = tmp.resolve("disks/" + format + ".qcow2");
            assertThat(disk.ensure(image, overlay, true)).hasSize(1);
            assertThat(overlay).doesNotExist();
            assertThat(disk.ensure(image, overlay, false)).containsExactly("create overlay " + overlay + " over " + image);
            assertThat(disk.info(overlay)).isEqualTo(new OverlayDisk.Info("qcow2", java.util.Optional.of(image.toString())));
            assertThat(QcowHeader.backingFile(overlay)).contains(image.toString());
            assertThat(Command.check("qemu-img", "info", overlay.toString()).stdout()).contains("backing file format: " + format);
            assertThat(disk.ensure(image, overlay, false)).isEmpty();
            assertThat(overlay.resolveSibling(overlay.getFileName() + ".partial")).doesNotExist();
        }
        assertThat(QcowHeader.backingFile(tmp.resolve("base.raw"))).isEmpty();
        assertThat(QcowHeader.backingFile(tmp.resolve("base.qcow2"))).isEmpty();
    }

    @Test
    void missingImageAndForeignOverlayAreClearErrors() throws Exception {
        Path missing = tmp.resolve("nope.qcow2");
        assertThatThrownBy(() -> disk.ensure(missing, tmp.resolve("o.qcow2"), false)).hasMessageContaining("image " + missing + " does not exist");
        Path a = tmp.resolve("a.qcow2");
        Path b = tmp.resolve("b.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", a.toString(), "16M");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", b.toString(), "16M");
        Path overlay = tmp.resolve("o.qcow2");
        disk.ensure(a, overlay, false);
        assertThatThrownBy(() -> disk.ensure(b, overlay, false)).hasMessageContaining("has backing file " + a + ", not " + b);
        assertThat(disk.remove(overlay, false)).isTrue();
        assertThat(Files.exists(a)).isTrue();
        assertThat(disk.remove(overlay, false)).isFalse();
    }
}
