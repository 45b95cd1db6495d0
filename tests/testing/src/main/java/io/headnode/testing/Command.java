package io.headnode.testing;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.ProcessCommandRunner;
import java.time.Duration;
import java.util.List;

/**
 * Shorthands for tests over the product's one runner ({@link ProcessCommandRunner}): an argument array, a timeout
 * (60 s unless given), a {@link CommandResult}; a timeout or a program that cannot start is a
 * {@link io.headnode.common.exec.CommandException}.
 */
public final class Command {
    private static final CommandRunner RUNNER = new ProcessCommandRunner();

    private Command() {
    }

    public static CommandResult run(Duration timeout, List<String> cmd) {
        return RUNNER.run(cmd, timeout);
    }

    public static CommandResult run(String... cmd) {
        return RUNNER.run(List.of(cmd));
    }

    /** Runs and throws {@link io.headnode.common.exec.CommandException} unless the exit code is 0. */
    public static CommandResult check(String... cmd) {
        return RUNNER.check(List.of(cmd));
    }
}
