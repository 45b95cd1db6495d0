package io.headnode.orchestrator.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** Entry point of {@code bin/headnode}. Exit codes: 0 ok, 1 failed, 2 bad usage. */
public final class Main {
    /** Every subcommand of {@code headnode}, in help order: add new ones here. */
    public static final List<Class<?>> SUBCOMMANDS = List.of(CreateCommand.class, DeleteCommand.class, ListCommand.class,
            ShowCommand.class, MachinesCommand.class, CredentialsCommand.class, ConfigCommand.class, InstallCommand.class,
            ReconcileCommand.class, SshKeysCommand.class, SshCommand.class, HostsCommand.class, DrainCommand.class, ImagesCommand.class);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new HeadnodeCommand(), SUBCOMMANDS, ProgressLine.stdout(), new PrintWriter(System.err, true), args));
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
        cl.setExecutionStrategy(new StrictExecution());
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
        return io.headnode.orchestrator.util.Errors.oneLine(e);
    }
}
