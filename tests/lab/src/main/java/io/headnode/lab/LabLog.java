package io.headnode.lab;

import io.headnode.orchestrator.cli.ProgressLine;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * The lab's transcript: one line per step, with the seconds since the lab command began. While it waits on a
 * terminal, one status line rewritten in place ({@link ProgressLine}) shows the time passing and what it waits for;
 * a transcript that is not a terminal gets only the steps.
 */
final class LabLog {
    private final PrintWriter out;
    private final ProgressLine progress;
    private final long started = System.nanoTime();

    LabLog(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out is null");
        this.progress = ProgressLine.on(out);
    }

    void step(String what) {
        progress.event(String.format("[%6.1fs] %s", elapsed(), what));
    }

    /** What the lab is waiting for; ended by {@link #doneWaiting}. */
    void waiting(String what) {
        if (progress.terminal()) {
            progress.status(String.format("[%6.1fs]", elapsed()), what);
        }
    }

    void doneWaiting() {
        progress.done();
    }

    /** A command's output, indented under its step. */
    void print(String text) {
        text.lines().filter(l -> !l.isBlank()).forEach(l -> progress.event("           " + l));
    }

    /** A line of {@code lab status}. */
    void line(String format, Object... args) {
        out.printf(format + "%n", args);
        out.flush();
    }

    double elapsed() {
        return (System.nanoTime() - started) / 1e9;
    }
}
