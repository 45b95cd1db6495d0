package io.headnode.orchestrator.cli;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.MachineList;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.share.ShareDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code headnode machines push|show}: the VLAN's machines.txt in the share. */
@Command(name = "machines", mixinStandardHelpOptions = true, description = "Manage a VLAN's machines.txt.",
        subcommands = {MachinesCommand.Push.class, MachinesCommand.Show.class})
public final class MachinesCommand implements Callable<Integer> {
    @Spec
    CommandSpec cmd;
    @ParentCommand
    HeadnodeCommand root;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "missing subcommand: push or show");
    }

    /** Validates a machines file and writes it, normalized, into the share (atomically; unchanged = untouched). */
    @Command(name = "push", mixinStandardHelpOptions = true, description = "Validate FILE and install it as the VLAN's machines.txt.")
    public static final class Push implements Callable<Integer> {
        @ParentCommand
        MachinesCommand parent;
        @Spec
        CommandSpec cmd;
        @Option(names = "--vlan", required = true, converter = VlanOption.class)
        Vlan vlan;
        @Parameters(paramLabel = "FILE", description = "'<mac> <bmc-address>' lines, # comments")
        Path file;

        @Override
        public Integer call() throws Exception {
            MachineList list;
            try {
                list = MachineList.parse(file.toString(), Files.readAllBytes(file));
            } catch (io.headnode.contract.ShareFormatException e) {
                throw new UsageException(e.getMessage());
            }
            ShareDirectory share = parent.root.get(ShareDirectory.class);
            Path target = share.layout(vlan).machines();
            if (!Files.isDirectory(target.getParent())) {
                throw new UsageException("VLAN " + vlan + " has no share " + target.getParent() + ": run headnode create --vlan " + vlan + " first");
            }
            boolean written = AtomicFiles.writeIfChanged(target, list.render());
            cmd.commandLine().getOut().println(target + ": " + list.machines().size() + " machines" + (written ? ", written" : ", unchanged"));
            return 0;
        }
    }

    /** Prints the VLAN's machines.txt as the guest sees it. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the VLAN's machines.txt.")
    public static final class Show implements Callable<Integer> {
        @ParentCommand
        MachinesCommand parent;
        @Spec
        CommandSpec cmd;
        @Option(names = "--vlan", required = true, converter = VlanOption.class)
        Vlan vlan;

        @Override
        public Integer call() throws Exception {
            Path target = parent.root.get(ShareDirectory.class).layout(vlan).machines();
            if (!Files.exists(target)) {
                cmd.commandLine().getOut().println("# no machines.txt for VLAN " + vlan);
                return 0;
            }
            MachineList list = MachineList.parse(target.toString(), Files.readAllBytes(target));
            list.machines().forEach(m -> cmd.commandLine().getOut().println(m.mac() + " " + m.bmc()));
            cmd.commandLine().getOut().flush();
            return 0;
        }
    }
}
