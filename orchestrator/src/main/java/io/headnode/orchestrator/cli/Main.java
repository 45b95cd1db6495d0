package io.headnode.orchestrator.cli;

import io.headnode.orchestrator.config.HostConfigFile;
import io.headnode.orchestrator.libvirt.HypervisorException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;

/** Entry point of {@code bin/headnode}. Exit codes: 0 ok, 1 failed, 2 bad usage. */
public final class Main {
    /** Every subcommand of {@code headnode}, in help order: add new ones here. */
    public static final List<Class<?>> SUBCOMMANDS = List.of(CreateCommand.class, DeleteCommand.class, ListCommand.class,
            ShowCommand.class, MachinesCommand.class, InstallCommand.class, ReconcileCommand.class);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new HeadnodeCommand(), SUBCOMMANDS, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; tests call this with their own root (modules) and writers. */
    public static int run(HeadnodeCommand root, List<Class<?>> subcommands, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(root);
        for (Class<?> sub : subcommands) {
            cl.addSubcommand(sub);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> 1);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("headnode: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("headnode: error: " + oneLine(ex));
            return ex instanceof UsageException ? 2 : 1;
        });
        try {
            return cl.execute(args);
        } finally {
            root.close();
        }
    }

    /** A clear one-line message for the failures an admin meets. */
    static String oneLine(Throwable e) {
        String msg;
        if (e instanceof AccessDeniedException a) {
            msg = a.getReason() != null ? a.getReason() : "permission denied: " + a.getFile() + " (run as root?)";
        } else if (e instanceof NoSuchFileException n) {
            msg = n.getReason() != null ? n.getReason() : "no such file: " + n.getFile();
        } else if (e instanceof HypervisorException || e instanceof HostConfigFile.ConfigException) {
            msg = e.getMessage();
        } else {
            msg = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return msg.lines().findFirst().orElse("").strip();
    }
}
