package io.headnode.agent.exec;

import java.time.Duration;
import java.util.List;

/** Runs external tools as argument arrays (never through a shell) with a timeout. */
public interface CommandRunner {
    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        public String describe() {
            String s = (stderr.strip() + " " + stdout.strip()).strip();
            return "exit " + exitCode + (s.isEmpty() ? "" : ": " + (s.length() > 400 ? s.substring(0, 400) + "..." : s));
        }
    }

    /** Runs {@code argv}; a timeout yields exit code 124; a missing binary yields 127. */
    Result run(List<String> argv, Duration timeout);

    /** Runs {@code argv} with {@code stdin} as its standard input. */
    Result run(List<String> argv, byte[] stdin, Duration timeout);

    default Result run(List<String> argv) {
        return run(argv, Duration.ofSeconds(30));
    }
}
