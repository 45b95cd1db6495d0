package io.headnode.orchestrator.cli;

import io.headnode.contract.MachineList;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

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
    @Command(name = "push", mixinStandardHelpOptions = true, description = "Validate FILE ('<mac> <bmc-address>' lines, # comments) and install it as the VLAN's machines.txt.")
    public static final class Push extends ShareFileCommand {
        @ParentCommand
        MachinesCommand parent;

        @Override
        byte[] normalize(String name, byte[] content) throws ShareFormatException {
            return MachineList.parse(name, content).render();
        }

        @Override
        String summary(byte[] normalized) {
            try {
                return MachineList.parse("machines.txt", normalized).machines().size() + " machines";
            } catch (ShareFormatException e) {
                throw new IllegalStateException("rendered machines.txt does not parse: " + e.getMessage(), e);
            }
        }

        @Override
        Function<ShareLayout, Path> target() {
            return ShareLayout::machines;
        }


        @Override
        HeadnodeCommand root() {
            return parent.root;
        }
    }

    /** Prints the VLAN's machines.txt as the guest sees it. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the VLAN's machines.txt.")
    public static final class Show extends ShareFileCommand.Show {
        @ParentCommand
        MachinesCommand parent;

        @Override
        HeadnodeCommand root() {
            return parent.root;
        }

        @Override
        Function<ShareLayout, Path> target() {
            return ShareLayout::machines;
        }

        @Override
        String render(String name, byte[] content) throws ShareFormatException {
            StringBuilder b = new StringBuilder();
            MachineList.parse(name, content).machines().forEach(m -> b.append(m.mac()).append(' ').append(m.bmc()).append('\n'));
            return b.toString();
        }
    }
}
