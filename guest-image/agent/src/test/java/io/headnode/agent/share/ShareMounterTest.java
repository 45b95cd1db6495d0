package io.headnode.agent.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.FakeRunner;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareMounterTest {
    @Test
    void alreadyMountedNeedsNoMount(@TempDir Path dir) throws Exception {
        Path info = dir.resolve("mountinfo");
        Files.writeString(info, "22 1 0:21 / / rw - ext4 /dev/vda1 rw\n40 22 0:35 / /etc/moc ro,relatime - 9p /etc/moc ro,trans=virtio\n");
        FakeRunner runner = new FakeRunner();
        ShareMounter m = new ShareMounter(runner, "mount", Path.of("/etc/moc"), info);
        assertThat(m.ensureMounted()).isTrue();
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void mountsReadOnlyOverVirtioAndBacksOffOnFailure(@TempDir Path dir) throws Exception {
        Path info = dir.resolve("mountinfo");
        Files.writeString(info, "22 1 0:21 / / rw - ext4 /dev/vda1 rw\n");
        FakeRunner runner = new FakeRunner();
        runner.answer = argv -> new CommandResult(argv, 32, "", "mount: /x: unknown filesystem type '9p'.");
        Path point = dir.resolve("moc");
        ShareMounter m = new ShareMounter(runner, "mount", point, info);
        assertThat(m.ensureMounted()).isFalse();
        assertThat(runner.commands).containsExactly(List.of("mount", "-t", "9p", "-o", "ro,trans=virtio,version=9p2000.L", "/etc/moc", point.toString()));
        assertThat(m.ensureMounted()).isFalse();
        assertThat(runner.commands).hasSize(1);
        assertThat(m.lastError()).contains("unknown filesystem type");
        assertThat(point).isDirectory();
    }

    @Test
    void aMountThatCannotRunIsAFailureWithItsReason(@TempDir Path dir) throws Exception {
        Path info = dir.resolve("mountinfo");
        Files.writeString(info, "");
        FakeRunner runner = new FakeRunner();
        runner.answer = argv -> {
            throw new CommandException(CommandException.Kind.CANNOT_START, "cannot run mount: No such file or directory", null);
        };
        ShareMounter m = new ShareMounter(runner, "mount", dir.resolve("moc"), info);
        assertThat(m.ensureMounted()).isFalse();
        assertThat(m.lastError()).isEqualTo("cannot run mount: No such file or directory");
    }

    @Test
    void mountCommandSuccessCounts(@TempDir Path dir) throws Exception {
        Path info = dir.resolve("mountinfo");
        Files.writeString(info, "");
        FakeRunner runner = new FakeRunner();
        assertThat(new ShareMounter(runner, "mount", dir.resolve("moc"), info).ensureMounted()).isTrue();
    }
}
