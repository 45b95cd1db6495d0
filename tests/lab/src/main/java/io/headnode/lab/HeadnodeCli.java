package io.headnode.lab;

import io.headnode.orchestrator.cli.HeadnodeCommand;
import io.headnode.orchestrator.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code headnode ...} in this process against the lab's orchestrator config: exactly what an admin types. */
public final class HeadnodeCli {
    /** A command's exit code and output. */
    public record Result(int exitCode, String out, String err) {
    }

    private final Path config;

    public HeadnodeCli(Path config) {
        this.config = java.util.Objects.requireNonNull(config, "config is null");
    }

    public Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new HeadnodeCommand(), Main.SUBCOMMANDS, new PrintWriter(out, true), new PrintWriter(err, true),
                all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs and throws unless it exits 0; returns its output. */
    public String check(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new LabException("headnode " + String.join(" ", args) + " exited " + r.exitCode() + ": " + (r.err() + r.out()).strip());
        }
        return r.out();
    }
}
