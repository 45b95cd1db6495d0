package io.headnode.power.driver;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool as an argument array (never through a shell), with an environment and a timeout. */
public final class ProcessRunner {
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** The tool did not finish within its timeout; it was killed. */
    public static final class TimedOut extends Exception {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    public Result run(List<String> command, Map<String, String> environment, Duration timeout) throws IOException, TimedOut, InterruptedException {
        // output goes to files, not pipes: a tool that writes more than a pipe holds would block until the timeout
        File out = File.createTempFile("headnode-power", ".out");
        File err = File.createTempFile("headnode-power", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out).redirectError(err);
            pb.environment().putAll(environment);
            Process p = pb.start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(2, TimeUnit.SECONDS);
                    throw new TimedOut(command.get(0) + " gave no answer within " + timeout.toMillis() + " ms");
                }
                return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8));
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        } finally {
            out.delete();
            err.delete();
        }
    }
}
