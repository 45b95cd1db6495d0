package io.headnode.common.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart decisions against a fake clock: real processes, no sleeps (Awaitility waits for a real exit). */
class SupervisedDaemonTest {
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock();
    SupervisedDaemon d;

    @AfterEach
    void stop() {
        if (d != null) {
            d.stop();
        }
    }

    /** Waits for the real process to exit, then lets the supervisor notice. */
    private void crashSeen() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !d.running());
        assertThat(d.ensureRunning()).isFalse();
    }

    @Test
    void restartsACrashedDaemonOnlyWhenItsDoublingBackoffHasPassed() throws Exception {
        d = new SupervisedDaemon("crasher", dir.resolve("crasher.log"), clock);
        assertThat(d.ensureRunning()).as("no command yet").isFalse();
        d.setCommand(List.of("sh", "-c", "echo crashing; exit 3"));
        assertThat(d.ensureRunning()).isTrue();
        crashSeen();
        assertThat(d.status().problem()).isEqualTo("exited with 3");
        assertThat(d.status().pid()).isEmpty();

        clock.advance(Duration.ofMillis(499));
        assertThat(d.ensureRunning()).isFalse();
        assertThat(d.starts()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(d.ensureRunning()).isTrue();
        assertThat(d.starts()).isEqualTo(2);

        crashSeen();
        clock.advance(Duration.ofMillis(999));
        assertThat(d.ensureRunning()).as("second backoff is 1 s").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(d.ensureRunning()).isTrue();
        assertThat(d.starts()).isEqualTo(3);
        crashSeen();
        assertThat(Files.readString(d.log())).isEqualTo("crashing\n".repeat(3));
    }

    @Test
    void aWallClockJumpBackDoesNotHoldARestartForTheLengthOfTheJump() {
        d = new SupervisedDaemon("crasher", dir.resolve("crasher.log"), clock);
        d.setCommand(List.of("sh", "-c", "exit 3"));
        assertThat(d.ensureRunning()).isTrue();
        crashSeen();
        clock.advance(Duration.ofHours(-1));
        assertThat(d.ensureRunning()).as("an hour back: restarted now, not in an hour").isTrue();
        assertThat(d.starts()).isEqualTo(2);
        crashSeen();
        clock.advance(Duration.ofHours(2));
        assertThat(d.ensureRunning()).as("forward: the backoff has passed").isTrue();
    }

    @Test
    void backoffNeverExceedsItsCap() {
        d = new SupervisedDaemon("crasher", dir.resolve("crasher.log"), clock);
        d.setCommand(List.of("false"));
        assertThat(d.ensureRunning()).isTrue();
        for (int i = 0; i < 8; i++) {
            crashSeen();
            clock.advance(SupervisedDaemon.MAX_BACKOFF);
            assertThat(d.ensureRunning()).isTrue();
        }
        assertThat(d.starts()).isEqualTo(9);
    }

    @Test
    void aStableRunResetsTheBackoff() {
        d = new SupervisedDaemon("flappy", dir.resolve("flappy.log"), clock);
        d.setCommand(List.of("false"));
        d.ensureRunning();
        crashSeen();
        clock.advance(Duration.ofMillis(500));
        d.ensureRunning();
        crashSeen();                                   // the next backoff would be 1 s, then 2 s
        d.setCommand(List.of("sleep", "600"));
        clock.advance(Duration.ofSeconds(1));
        assertThat(d.ensureRunning()).isTrue();
        long pid = d.status().pid().orElseThrow();
        clock.advance(SupervisedDaemon.STABLE);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        crashSeen();
        assertThat(d.status().problem()).isEqualTo("exited with 137");
        clock.advance(Duration.ofMillis(500));
        assertThat(d.ensureRunning()).as("back to the first backoff after a stable run").isTrue();
        assertThat(d.starts()).isEqualTo(4);
    }

    @Test
    void restartReplacesTheProcessAfterTheOldPidIsGone() {
        d = new SupervisedDaemon("sleeper", dir.resolve("sleeper.log"), clock);
        d.setCommand(List.of("sleep", "600"));
        assertThat(d.ensureRunning()).isTrue();
        long first = d.status().pid().orElseThrow();
        assertThat(d.restart()).isTrue();
        assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(d.status().pid().orElseThrow()).isNotEqualTo(first);
        assertThat(d.status().running()).isTrue();
        assertThat(d.status().running()).isTrue();
        d.stop();
        assertThat(d.running()).isFalse();
        assertThat(d.status().problem()).isEqualTo("stopped");
        assertThat(d.starts()).isEqualTo(2);
    }

    @Test
    void aProgramThatCannotStartIsRetriedWithBackoff() {
        d = new SupervisedDaemon("ghost", dir.resolve("ghost.log"), clock);
        d.setCommand(List.of("/nonexistent/ghostd"));
        assertThat(d.ensureRunning()).isFalse();
        assertThat(d.status().problem()).startsWith("cannot start ghost (/nonexistent/ghostd)");
        assertThat(d.starts()).isZero();
        clock.advance(Duration.ofMillis(499));
        d.setCommand(List.of("sleep", "600"));
        assertThat(d.ensureRunning()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(d.ensureRunning()).isTrue();
    }
}
