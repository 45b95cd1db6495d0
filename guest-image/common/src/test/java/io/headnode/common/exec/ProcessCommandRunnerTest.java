package io.headnode.common.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCommandRunnerTest {
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void returnsExitCodeAndOutput() {
        CommandResult r = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.describe()).endsWith("exited 3: err");
        assertThatThrownBy(r::orThrow).isInstanceOf(CommandException.class)
                .satisfies(e -> assertThat(((CommandException) e).kind()).isEqualTo(CommandException.Kind.FAILED));
    }

    @Test
    void timeoutKillsTheProcessTreeAndIsOneExceptionType(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("child.pid");
        // the grandchild would outlive a kill of sh alone
        CommandSpec spec = CommandSpec.of(List.of("sh", "-c", "sleep 600 & echo $! > " + pid + "; wait"), Duration.ofSeconds(2));
        assertThatThrownBy(() -> runner.run(spec)).isInstanceOf(CommandException.class).hasMessageContaining("timed out after 2 s")
                .satisfies(e -> assertThat(((CommandException) e).kind()).isEqualTo(CommandException.Kind.TIMED_OUT));
        long child = Long.parseLong(Files.readString(pid).strip());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void missingProgramIsACommandException() {
        assertThatThrownBy(() -> runner.run(List.of("/nonexistent/prog"), Duration.ofSeconds(5)))
                .isInstanceOf(CommandException.class).hasMessageContaining("cannot run /nonexistent/prog")
                .satisfies(e -> assertThat(((CommandException) e).kind()).isEqualTo(CommandException.Kind.CANNOT_START));
    }

    @Test
    void environmentDirectoryAndStdin(@TempDir Path dir) throws Exception {
        CommandSpec spec = CommandSpec.of(List.of("sh", "-c", "pwd; echo \"$HN_SECRET\"; cat"), Duration.ofSeconds(10))
                .withEnvironment("HN_SECRET", "s3cret").withDirectory(dir).withStdin("from stdin\n");
        assertThat(runner.run(spec).stdout()).isEqualTo(dir.toRealPath().toString() + "\ns3cret\nfrom stdin\n");
        assertThat(runner.run(List.of("cat"), Duration.ofSeconds(10)).stdout()).as("no stdin is /dev/null, not a pipe left open").isEmpty();
    }

    @Test
    void prefixGoesBeforeTheCommandAndIntoTheResult() {
        CommandResult r = new ProcessCommandRunner(List.of("env", "HN_X=1")).run(List.of("sh", "-c", "echo $HN_X"), Duration.ofSeconds(10));
        assertThat(r.command()).containsExactly("env", "HN_X=1", "sh", "-c", "echo $HN_X");
        assertThat(r.stdout()).isEqualTo("1\n");
    }

    @Test
    void outputLargerThanAPipeDoesNotBlock() {
        CommandResult r = runner.run(List.of("head", "-c", "1000000", "/dev/zero"), Duration.ofSeconds(10));
        assertThat(r.stdout()).hasSize(1_000_000);
    }

    @Test
    void specValidatesAndNeverPrintsEnvironmentValues() {
        CommandSpec spec = CommandSpec.of(List.of("ipmitool", "-E"), Duration.ofSeconds(5)).withEnvironment("IPMI_PASSWORD", "calvin");
        assertThat(spec.toString()).contains("ipmitool -E", "IPMI_PASSWORD").doesNotContain("calvin");
        assertThat(spec.environment()).containsEntry("IPMI_PASSWORD", "calvin");
        assertThat(spec.directory()).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> CommandSpec.of(List.of(), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandSpec.of(List.of("true"), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new CommandSpec(List.of("true"), Duration.ofSeconds(1), Map.of(), Optional.empty(), "").withTimeout(Duration.ofSeconds(2)).timeout())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void outputThatIsNotUtf8KeepsTheExitCode() {
        CommandResult r = new ProcessCommandRunner().run(List.of("printf", "ok\\377\\n"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("ok\uFFFD\n");
    }

    @Test
    void followedStandardErrorLinesArriveWhileTheCommandRuns(@TempDir Path dir) throws Exception {
        Path flag = dir.resolve("seen");
        List<String> lines = new java.util.ArrayList<>();
        // the command waits until its first line was passed on: if lines came only at its exit, it would time out
        CommandSpec spec = CommandSpec.of(List.of("sh", "-c", "echo 'stage 1' >&2; while [ ! -e " + flag + " ]; do sleep 0.05; done;"
                + " echo out; printf 'stage 2\\nlast, no newline' >&2"), Duration.ofSeconds(20));
        CommandResult r = runner.run(spec, line -> {
            lines.add(line);
            try {
                Files.createFile(flag);
            } catch (java.io.IOException e) {
                // created already
            }
        });
        assertThat(r.exitCode()).isZero();
        assertThat(lines).containsExactly("stage 1", "stage 2", "last, no newline");
        assertThat(r.stderr()).isEqualTo("stage 1\nstage 2\nlast, no newline");
        assertThat(r.stdout()).isEqualTo("out\n");
    }

    @Test
    void captureFilesAreUnlinkedWhileTheCommandRunsSoADyingJvmLeavesNone() {
        // The command looks at its own standard output and error: once the runner has started it, their files must be
        // gone from the temp dir (a JVM killed now leaves nothing), and the output still arrives. Bounded: 50 x 0.1 s.
        String script = "for i in $(seq 1 50); do "
                + "case \"$(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)\" in *'(deleted)'*'(deleted)') echo unlinked; exit 0;; esac; "
                + "sleep 0.1; done; readlink /proc/$$/fd/1; exit 1";
        CommandResult r = runner.run(List.of("sh", "-c", script), Duration.ofSeconds(30));
        assertThat(r.stdout()).isEqualTo("unlinked\n");
        assertThat(r.exitCode()).isZero();
    }
}
