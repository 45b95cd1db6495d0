package io.headnode.common.exec;

import java.time.Duration;
import java.util.List;

/**
 * Runs a subprocess given as an argument array (never through a shell), with a timeout: the one way Headnode runs
 * an external tool and waits for it ({@link ProcessCommandRunner}; tests substitute a fake). Long-running daemons
 * are {@link Daemon}s instead.
 *
 * <p>A non-zero exit is a {@link CommandResult}, not an exception: many tools answer "no" that way. Everything
 * else (timeout, cannot start, interrupted) is a {@link CommandException} naming the command and its {@link CommandException.Kind}.
 */
public interface CommandRunner {
    /** Runs {@code spec}; a non-zero exit is returned, not thrown. Throws {@link CommandException} on timeout or when it cannot start. */
    CommandResult run(CommandSpec spec);

    /** Runs {@code command} with {@code timeout}, standard input /dev/null, the runner's environment. */
    default CommandResult run(List<String> command, Duration timeout) {
        return run(CommandSpec.of(command, timeout));
    }

    default CommandResult run(List<String> command) {
        return run(command, Duration.ofSeconds(60));
    }

    /** Runs and throws {@link CommandException} unless the exit code is 0. */
    default CommandResult check(List<String> command) {
        return run(command).orThrow();
    }
}
