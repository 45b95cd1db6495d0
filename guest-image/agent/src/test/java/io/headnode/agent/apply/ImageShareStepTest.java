package io.headnode.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.FakeRunner;
import io.headnode.agent.share.ShareMounter;
import io.headnode.common.exec.CommandResult;
import io.headnode.contract.AgentStatus.HealthState;
import io.headnode.contract.ImageCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image share: mounted read-only under its own tag with a large msize, never gating, its health as service images. */
class ImageShareStepTest {
    @Test
    void mountsTheImageShareReadOnlyAndReportsIt(@TempDir Path dir) throws Exception {
        Path info = dir.resolve("mountinfo");
        Path point = dir.resolve("images");
        Files.writeString(info, "22 1 0:21 / / rw - ext4 /dev/vda1 rw\n");
        FakeRunner runner = new FakeRunner();
        runner.answer = argv -> new CommandResult(argv, 32, "", "mount: no such tag");
        ImageShareStep step = new ImageShareStep(new ShareMounter(runner, ImageCatalog.MOUNT_TAG, ImageShareStep.MOUNT_OPTIONS, "mount", point, info, java.time.Clock.systemUTC()),
                point, true);
        assertThat(step.gates()).isFalse();
        assertThat(step.apply(null)).isEqualTo(StepResult.UNCHANGED);
        assertThat(runner.commands).containsExactly(List.of("mount", "-t", "9p", "-o", "ro,trans=virtio,version=9p2000.L,msize=524288",
                "headnode-images", point.toString()));
        assertThat(step.health().get("images").state()).isEqualTo(HealthState.PENDING);
        assertThat(step.health().get("images").detail()).contains("image share not mounted at " + point).contains("exited 32");
        Files.writeString(info, "22 1 0:21 / / rw - ext4 /dev/vda1 rw\n41 22 0:36 / " + point + " ro,relatime - 9p headnode-images ro\n");
        assertThat(step.apply(null)).isEqualTo(StepResult.of(List.of("image share mounted at " + point)));
        assertThat(step.health().get("images").state()).isEqualTo(HealthState.OK);
        assertThat(step.apply(null)).isEqualTo(StepResult.UNCHANGED);
    }

    @Test
    void withoutShareMountingItIsUnmanaged(@TempDir Path dir) {
        FakeRunner runner = new FakeRunner();
        ImageShareStep step = new ImageShareStep(new ShareMounter(runner, ImageCatalog.MOUNT_TAG, "", "mount", dir, dir.resolve("mountinfo"), java.time.Clock.systemUTC()), dir, false);
        assertThat(step.apply(null)).isEqualTo(StepResult.UNCHANGED);
        assertThat(runner.commands).isEmpty();
        assertThat(step.health().get("images").state()).isEqualTo(HealthState.UNMANAGED);
    }
}
