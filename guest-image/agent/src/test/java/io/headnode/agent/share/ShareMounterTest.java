package io.headnode.agent.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.FakeRunner;
import io.headnode.agent.MutableClock;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareMounterTest {
    static final String ROOT = "22 1 0:21 / / rw - ext4 /dev/vda1 rw\n";
    MutableClock clock = new MutableClock();

    static String mounted(Path point) {
        return ROOT + "40 22 0:35 / " + point + " ro,relatime - 9p /etc/moc ro,trans=virtio\n";
    }

    /** A mount that fails, counting its tries. */
    static FakeRunner failing() {
        FakeRunner runner = new FakeRunner();
        runner.answer = argv -> new CommandResult(argv, 32, "", "mount: /x: special device /etc/moc does not exist.");
        return runner;
    }

    /** The backoff (1 s, 2 s, 4 s, ... up to 30 s) runs on the injected clock: no try before it is due, one when it is. */
    @Test
    void theBackoffRunsOnTheInjectedClock(@TempDir Path dir) throws Exception {
        Path info = Files.writeString(dir.resolve("mountinfo"), ROOT);
        FakeRunner runner = failing();
        ShareMounter m = new ShareMounter(runner, "mount", dir.resolve("moc"), info, clock);
        assertThat(m.ensureMounted()).isFalse();
        clock.advance(Duration.ofMillis(999));
        assertThat(m.ensureMounted()).isFalse();
        assertThat(runner.commands).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(m.ensureMounted()).isFalse();
        assertThat(runner.commands).hasSize(2);
        clock.advance(Duration.ofMillis(1999));
        assertThat(m.ensureMounted()).isFalse();
        assertThat(runner.commands).hasSize(2);
        clock.advance(Duration.ofMillis(1));
        assertThat(m.ensureMounted()).isFalse();
        assertThat(runner.commands).hasSize(3);
        for (int i = 0; i < 10; i++) {   // 4, 8, 16, then capped at 30 s
            clock.advance(Duration.ofSeconds(30));
            m.ensureMounted();
        }
        assertThat(runner.commands).hasSize(13);
        clock.advance(Duration.ofSeconds(29));
        m.ensureMounted();
        assertThat(runner.commands).hasSize(13);
    }

    /** A wall clock set back by an hour does not hold the next mount try for an hour. */
    @Test
    void aClockSetBackDoesNotHoldTheNextTryForTheLengthOfTheJump(@TempDir Path dir) throws Exception {
        Path info = Files.writeString(dir.resolve("mountinfo"), ROOT);
        FakeRunner runner = failing();
        ShareMounter m = new ShareMounter(runner, "mount", dir.resolve("moc"), info, clock);
        assertThat(m.ensureMounted()).isFalse();
        clock.advance(Duration.ofHours(-1));
        assertThat(m.ensureMounted()).isFalse();
        assertThat(runner.commands).hasSize(2);
        clock.advance(Duration.ofMillis(500));
        m.ensureMounted();
        assertThat(runner.commands).as("the new backoff runs from the new time").hasSize(2);
        clock.advance(Duration.ofMillis(1500));
        m.ensureMounted();
        assertThat(runner.commands).hasSize(3);
    }

    /** The share unmounted under the running agent (even during a backoff from earlier failures) is mounted again at once. */
    @Test
    void aShareUnmountedUnderTheAgentIsMountedAgainAtOnce(@TempDir Path dir) throws Exception {
        Path point = dir.resolve("moc");
        Path info = Files.writeString(dir.resolve("mountinfo"), ROOT);
        FakeRunner runner = failing();
        ShareMounter m = new ShareMounter(runner, "mount", point, info, clock);
        assertThat(m.ensureMounted()).isFalse();   // a failure first: a 1 s backoff is running
        Files.writeString(info, mounted(point));
        assertThat(m.ensureMounted()).isTrue();
        assertThat(runner.commands).hasSize(1);

        Files.writeString(info, ROOT);   // umount /etc/moc behind the agent's back
        runner.answer = argv -> {
            try {
                Files.writeString(info, mounted(point));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new CommandResult(argv, 0, "", "");
        };
        assertThat(m.ensureMounted()).isTrue();
        assertThat(runner.commands).hasSize(2);
        assertThat(m.isMounted()).isTrue();
        assertThat(m.lastError()).isEmpty();
    }
    @Test
    void alreadyMountedNeedsNoMount(@TempDir Path dir) throws Exception {
        Path info = dir.resolve("mountinfo");
        Files.writeString(info, "22 1 0:21 / / rw - ext4 /dev/vda1 rw\n40 22 0:35 / /etc/moc ro,relatime - 9p /etc/moc ro,trans=virtio\n");
        FakeRunner runner = new FakeRunner();
        ShareMounter m = new ShareMounter(runner, "mount", Path.of("/etc/moc"), info, clock);
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
        ShareMounter m = new ShareMounter(runner, "mount", point, info, clock);
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
        ShareMounter m = new ShareMounter(runner, "mount", dir.resolve("moc"), info, clock);
        assertThat(m.ensureMounted()).isFalse();
        assertThat(m.lastError()).isEqualTo("cannot run mount: No such file or directory");
    }

    @Test
    void mountCommandSuccessCounts(@TempDir Path dir) throws Exception {
        Path info = dir.resolve("mountinfo");
        Files.writeString(info, "");
        FakeRunner runner = new FakeRunner();
        assertThat(new ShareMounter(runner, "mount", dir.resolve("moc"), info, clock).ensureMounted()).isTrue();
    }
}
