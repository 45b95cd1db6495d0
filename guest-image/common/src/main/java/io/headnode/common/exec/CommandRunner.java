package io.headnode.common.exec;

import java.time.Duration;
import java.util.List;

/** Runs a subprocess given as an argument array (never through a shell), with a timeout. */
public interface CommandRunner {
    /** Runs {@code command}; a non-zero exit is returned, not thrown. Throws {@link CommandException} on timeout or when it cannot start. */
    CommandResult run(List<String> command, Duration timeout);

    default CommandResult run(List<String> command) {
        return run(command, Duration.ofSeconds(60));
    }

    /** Runs and throws {@link CommandException} unless the exit code is 0. */
    default CommandResult check(List<String> command) {
        return run(command).orThrow();
    }
}
