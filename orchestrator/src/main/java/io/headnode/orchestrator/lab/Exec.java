package io.headnode.orchestrator.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one external command (an argument array, never a shell line) with a timeout. */
final class Exec {
    record Result(List<String> cmd, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        Result orThrow() {
            if (exitCode != 0) {
                throw new LabException(String.join(" ", cmd) + " exited " + exitCode + ": " + (stderr.strip() + " " + stdout.strip()).strip());
            }
            return this;
        }
    }

    private Exec() {
    }

    static Result run(Duration timeout, List<String> cmd) {
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("headnode-lab", ".out");
            err = File.createTempFile("headnode-lab", ".err");
            Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new LabException(String.join(" ", cmd) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(cmd, p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted running " + cmd.get(0));
        } finally {
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }

    static Result run(List<String> cmd) {
        return run(Duration.ofSeconds(60), cmd);
    }

    static Result check(String... cmd) {
        return run(List.of(cmd)).orThrow();
    }
}
