package io.headnode.common.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonTest {
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock();
    Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void stopsTheProcessTreeByPid() {
        daemon = Daemon.start("tree", List.of("sh", "-c", "echo up; sleep 600 & sleep 600 & wait"), dir.resolve("logs/tree.log"), clock);
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.isAlive() && ProcessHandle.of(daemon.pid()).orElseThrow().children().count() == 2);
        List<ProcessHandle> children = ProcessHandle.of(daemon.pid()).orElseThrow().children().toList();
        assertThat(daemon.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(daemon.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(daemon.logText()).isEqualTo("up\n");
        assertThat(daemon.stop(Duration.ofSeconds(1))).as("stopping a stopped daemon").isFalse();
    }

    @Test
    void aDaemonThatIgnoresTermIsKilledAfterTheGrace() {
        daemon = Daemon.start("stubborn", List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"), dir.resolve("stubborn.log"), clock);
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.logText().contains("ready"));
        assertThat(daemon.stop(Duration.ofMillis(200))).isTrue();
        assertThat(daemon.isAlive()).isFalse();
        assertThat(daemon.exitCode()).hasValue(137);
    }

    @Test
    void awaitReturnsOnceTheFileExistsAndFailsAtOnceWhenTheDaemonDies() {
        Path ready = dir.resolve("ready");
        daemon = Daemon.start("writer", List.of("sh", "-c", "touch " + ready + "; exec sleep 600"), dir.resolve("writer.log"), clock);
        daemon.awaitFile(ready, Duration.ofSeconds(30));
        assertThat(daemon.isAlive()).isTrue();

        Daemon dying = Daemon.start("dying", List.of("sh", "-c", "echo no config here >&2; exit 2"), dir.resolve("dying.log"), clock);
        assertThatThrownBy(() -> dying.awaitFile(dir.resolve("never"), Duration.ofMinutes(5)))
                .isInstanceOf(CommandException.class).hasMessageContaining("dying[" + dying.pid() + "] exited with 2 before it could create")
                .hasMessageContaining("no config here");
    }

    @Test
    void awaitTimesOutNamingWhatItWaitedFor() {
        daemon = Daemon.start("silent", List.of("sleep", "600"), dir.resolve("silent.log"), clock);
        assertThatThrownBy(() -> daemon.await("say hello", () -> false, Duration.ofMillis(100)))
                .isInstanceOf(CommandException.class).hasMessageContaining("did not say hello within 100 ms")
                .satisfies(e -> assertThat(((CommandException) e).kind()).isEqualTo(CommandException.Kind.TIMED_OUT));
    }

    @Test
    void attachFindsALiveProcessByPidOnlyWhileItRunsTheNamedProgram() {
        daemon = Daemon.start("sleeper", List.of("sleep", "600"), dir.resolve("sleeper.log"), clock);
        assertThat(Daemon.attach("sleeper", daemon.pid(), "libvirtd", daemon.log(), clock)).isEmpty();
        Daemon again = Daemon.attach("sleeper", daemon.pid(), "sleep", daemon.log(), clock).orElseThrow();
        assertThat(again.exitCode()).isEmpty();
        assertThat(again.stop(Duration.ofSeconds(5))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !daemon.isAlive());
        assertThat(Daemon.attach("sleeper", daemon.pid(), "sleep", daemon.log(), clock)).isEmpty();
    }

    @Test
    void uptimeFollowsTheInjectedClock() {
        daemon = Daemon.start("sleeper", List.of("sleep", "600"), dir.resolve("sleeper.log"), clock);
        assertThat(daemon.uptime()).isZero();
        clock.advance(Duration.ofSeconds(90));
        assertThat(daemon.uptime()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aMissingProgramCannotStart() {
        assertThatThrownBy(() -> Daemon.start("ghost", List.of("/nonexistent/daemon"), dir.resolve("ghost.log"), clock))
                .isInstanceOf(CommandException.class).hasMessageContaining("cannot start ghost (/nonexistent/daemon)")
                .satisfies(e -> assertThat(((CommandException) e).kind()).isEqualTo(CommandException.Kind.CANNOT_START));
    }
}
