package io.headnode.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command as an argument array with a timeout; returns exit code and output. Test helper only. */
public final class Command {
    public record Result(int exitCode, String stdout, String stderr) {
        public Result orThrow(List<String> cmd) {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + exitCode + ": " + stderr.strip() + " " + stdout.strip());
            }
            return this;
        }
    }

    private Command() {
    }

    public static Result run(Duration timeout, List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            java.io.File out = java.io.File.createTempFile("cmd", ".out");
            java.io.File err = java.io.File.createTempFile("cmd", ".err");
            try {
                pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new IllegalStateException(String.join(" ", cmd) + " timed out after " + timeout);
                }
                return new Result(p.exitValue(),
                        java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
            } finally {
                out.delete();
                err.delete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        }
    }

    public static Result run(String... cmd) {
        return run(Duration.ofSeconds(60), List.of(cmd));
    }

    /** Runs and throws unless the exit code is 0. */
    public static Result check(String... cmd) {
        return run(Duration.ofSeconds(60), List.of(cmd)).orThrow(List.of(cmd));
    }
}
