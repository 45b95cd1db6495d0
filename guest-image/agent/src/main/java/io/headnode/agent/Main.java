package io.headnode.agent;

import io.headnode.agent.power.PowerPlug;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code headnode-agent run|status|install|serve} (and {@code power ...} once the power drivers plug in). */
@Command(name = "headnode-agent", mixinStandardHelpOptions = true, version = "headnode-agent 0.1",
        description = "Keeps a VLAN head node's provisioning services in the state its share describes.",
        subcommands = {RunCommand.class, StatusCommand.class, InstallCommand.class, ServeCommand.class})
public final class Main {
    public static void main(String[] args) {
        FatalErrorHandler.install();
        // the boot's own command line skips picocli (see RunCommand.plain); help, errors and the rest go through it
        Optional<RunCommand> run = RunCommand.plain(args);
        System.exit(run.isPresent() ? run.get().call() : commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        PowerPlug.register(cl);
        return cl;
    }
}
