package io.headnode.orchestrator.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Progress of a long operation for a person. Events are lines that stay. The status (e.g. "2 of 4 done, 45 s") is one
 * line rewritten in place ({@code \r}, erase to the end of the line) only when the output is a terminal; otherwise
 * each new status is a plain line, printed only when it differs from the previous one, so logs and pipes get no
 * control characters and no repeats.
 */
public final class ProgressLine {
    private static final String ERASE = "\r\033[K";
    private final PrintWriter out;
    private final boolean terminal;
    private String status = "";
    private String shown = "";

    public ProgressLine(PrintWriter out, boolean terminal) {
        this.out = Objects.requireNonNull(out, "out is null");
        this.terminal = terminal;
    }

    /** A progress line on {@code out}: rewriting when {@code out} is {@link #stdout()} and standard output is a terminal. */
    public static ProgressLine on(PrintWriter out) {
        return new ProgressLine(out, out instanceof Stdout && System.console() != null);
    }

    /** The process's standard output, marked so that {@link #on} knows it (a test's or embedder's writer is never a terminal). */
    public static PrintWriter stdout() {
        return new Stdout();
    }

    /** Whether the status line is rewritten in place (the output is a terminal). */
    public boolean terminal() {
        return terminal;
    }

    /** A line that stays. */
    public void event(String line) {
        if (terminal && !shown.isEmpty()) {
            out.print(ERASE);
        }
        out.println(line);
        if (terminal && !shown.isEmpty()) {
            out.print(shown);
        }
        out.flush();
    }

    /**
     * The current state, after a prefix such as the elapsed time: on a terminal it replaces the previous status
     * line; otherwise it is printed as a line of its own only when {@code state} changed (a new prefix alone is not news).
     */
    public void status(String prefix, String state) {
        String line = prefix.isEmpty() ? state : prefix + " " + state;
        if (terminal) {
            out.print(ERASE + line);
            shown = line;
        } else if (!state.equals(status)) {
            out.println(line);
        }
        status = state;
        out.flush();
    }

    /** Ends the status line (on a terminal it stays as the last line). */
    public void done() {
        if (terminal && !shown.isEmpty()) {
            out.println();
        }
        status = "";
        shown = "";
        out.flush();
    }

    private static final class Stdout extends PrintWriter {
        Stdout() {
            super(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), Charset.defaultCharset()), true);
        }
    }
}
