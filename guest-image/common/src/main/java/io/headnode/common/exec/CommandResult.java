package io.headnode.common.exec;

import java.util.List;

/** What a finished subprocess returned. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or a {@link CommandException} naming the command and its complaint unless the exit code is 0. */
    public CommandResult orThrow() {
        if (!ok()) {
            throw new CommandException(describe());
        }
        return this;
    }

    /** One line for an error message: the command and the first line of its complaint. */
    public String describe() {
        return String.join(" ", command) + " " + outcome();
    }

    /**
     * The outcome first, then the command: "exited 32: complaint (mount -t 9p ...)". For a message that is cut to a
     * bound (a status detail), where a long command line would push out what went wrong.
     */
    public String describeOutcomeFirst() {
        return outcome() + " (" + String.join(" ", command) + ")";
    }

    /** "exited N" and the first line of its complaint. */
    private String outcome() {
        String why = stderr.isBlank() ? stdout.strip() : stderr.strip();
        int nl = why.indexOf('\n');
        if (nl >= 0) {
            why = why.substring(0, nl);
        }
        return "exited " + exitCode + (why.isEmpty() ? "" : ": " + why);
    }
}
