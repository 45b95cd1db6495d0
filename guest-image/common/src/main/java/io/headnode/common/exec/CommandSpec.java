package io.headnode.common.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One subprocess to run: its argument array (never a shell line), a timeout, and optionally extra environment
 * variables, a working directory and text for its standard input. Immutable; the {@code with...} methods return a copy.
 *
 * <p>Secrets belong in the environment ({@code ipmitool -E} reads {@code IPMI_PASSWORD}) or in a file, never in
 * {@code argv}: argv is visible to every user in /proc and is logged. {@link #toString()} names the environment's
 * keys but never its values.
 *
 * @param argv        the program and its arguments; not empty
 * @param timeout     how long the command may run before it and its descendants are killed; positive
 * @param environment variables added to (or overriding) the runner's own environment
 * @param directory   the working directory, or empty for the runner's
 * @param stdin       text fed to standard input (UTF-8); empty means standard input is /dev/null
 */
public record CommandSpec(List<String> argv, Duration timeout, Map<String, String> environment, Optional<Path> directory, String stdin) {
    public CommandSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty");
        }
        Objects.requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(directory, "directory is null");
        Objects.requireNonNull(stdin, "stdin is null");
    }

    /** {@code argv} with {@code timeout}, nothing else. */
    public static CommandSpec of(List<String> argv, Duration timeout) {
        return new CommandSpec(argv, timeout, Map.of(), Optional.empty(), "");
    }

    /** This command with one more environment variable (replacing an earlier one of the same name). */
    public CommandSpec withEnvironment(String name, String value) {
        Map<String, String> env = new TreeMap<>(environment);
        env.put(Objects.requireNonNull(name, "name is null"), Objects.requireNonNull(value, "value is null"));
        return new CommandSpec(argv, timeout, env, directory, stdin);
    }

    /** This command run in {@code dir}. */
    public CommandSpec withDirectory(Path dir) {
        return new CommandSpec(argv, timeout, environment, Optional.of(dir), stdin);
    }

    /** This command with {@code text} as its standard input. */
    public CommandSpec withStdin(String text) {
        return new CommandSpec(argv, timeout, environment, directory, text);
    }

    /** This command with another timeout. */
    public CommandSpec withTimeout(Duration t) {
        return new CommandSpec(argv, t, environment, directory, stdin);
    }

    /** The argument array joined by spaces, for messages. */
    public String line() {
        return String.join(" ", argv);
    }

    /** The argument array and the environment's keys; never an environment value (it may be a password). */
    @Override
    public String toString() {
        return "CommandSpec[" + line() + ", timeout " + timeout.toMillis() + " ms"
                + (environment.isEmpty() ? "" : ", environment " + new TreeMap<>(environment).keySet())
                + directory.map(d -> ", in " + d).orElse("") + (stdin.isEmpty() ? "" : ", " + stdin.length() + " chars on stdin") + "]";
    }
}
