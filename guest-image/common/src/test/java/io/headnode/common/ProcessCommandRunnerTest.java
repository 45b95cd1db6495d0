package io.headnode.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.ProcessCommandRunner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {
    private final ProcessCommandRunner runner = new ProcessCommandRunner(List.of());

    @Test
    void returnsExitCodeAndOutput() {
        CommandResult r = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.describe()).endsWith("exited 3: err");
    }

    @Test
    void timeoutIsOneExceptionType() {
        assertThatThrownBy(() -> runner.run(List.of("sleep", "30"), Duration.ofMillis(200)))
                .isInstanceOf(CommandException.class).hasMessageContaining("timed out");
    }

    @Test
    void missingProgramIsACommandException() {
        assertThatThrownBy(() -> runner.run(List.of("/nonexistent/prog"), Duration.ofSeconds(5)))
                .isInstanceOf(CommandException.class).hasMessageContaining("cannot run /nonexistent/prog");
    }
}
