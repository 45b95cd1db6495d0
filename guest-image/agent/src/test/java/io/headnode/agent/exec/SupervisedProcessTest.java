package io.headnode.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisedProcessTest {
    @Test
    void restartsAfterACrashWithBackoffAndStopsByPid(@TempDir Path dir) throws Exception {
        SupervisedProcess p = new SupervisedProcess("sleeper", dir.resolve("log"));
        assertThat(p.ensureRunning()).isFalse();
        p.setCommand(List.of("sleep", "30"));
        assertThat(p.ensureRunning()).isTrue();
        assertThat(p.health()).isEqualTo("running");
        p.stop();
        assertThat(p.running()).isFalse();
        p.setCommand(List.of("false"));
        p.ensureRunning();
        Thread.sleep(300);
        assertThat(p.ensureRunning()).isFalse();
        assertThat(p.health()).startsWith("down: exited with 1");
        assertThat(p.starts()).isEqualTo(2);
        Thread.sleep(600);
        p.ensureRunning();
        assertThat(p.starts()).isEqualTo(3);
        p.stop();
    }

    @Test
    void runnerReportsTimeoutsAndMissingBinaries() {
        ProcessCommandRunner r = new ProcessCommandRunner();
        assertThat(r.run(List.of("sleep", "5"), java.time.Duration.ofMillis(200)).exitCode()).isEqualTo(124);
        assertThat(r.run(List.of("/nonexistent/tool")).exitCode()).isEqualTo(127);
        assertThat(r.run(List.of("cat"), "hello".getBytes(), java.time.Duration.ofSeconds(5)).stdout()).isEqualTo("hello");
    }
}
