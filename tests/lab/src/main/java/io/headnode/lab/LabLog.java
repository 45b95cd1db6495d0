package io.headnode.lab;

import java.io.PrintWriter;
import java.util.Objects;

/** The lab's transcript: one line per step, with the seconds since the lab command began. */
final class LabLog {
    private final PrintWriter out;
    private final long started = System.nanoTime();

    LabLog(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out is null");
    }

    void step(String what) {
        out.printf("[%6.1fs] %s%n", elapsed(), what);
        out.flush();
    }

    /** A command's output, indented under its step. */
    void print(String text) {
        text.lines().filter(l -> !l.isBlank()).forEach(l -> out.println("           " + l));
        out.flush();
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
