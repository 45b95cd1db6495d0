package io.headnode.orchestrator.cli;

import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code headnode config push|show}: the VLAN's headnode.conf (addresses, default power driver, install limits). */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Manage a VLAN's headnode.conf, the guest's settings.",
        subcommands = {ConfigCommand.Push.class, ConfigCommand.Show.class})
public final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec cmd;
    @ParentCommand
    HeadnodeCommand root;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "missing subcommand: push or show");
    }

    /** Validates FILE (its vlan must be this VLAN) and installs it as headnode.conf. */
    @Command(name = "push", mixinStandardHelpOptions = true, description = "Validate FILE ('key = value' lines) and install it as the VLAN's headnode.conf.")
    public static final class Push extends ShareFileCommand {
        @ParentCommand
        ConfigCommand parent;

        @Override
        byte[] normalize(String name, byte[] content) throws ShareFormatException {
            HeadnodeConfig c = HeadnodeConfig.parse(name, content);
            if (!c.vlan().equals(vlan)) {
                throw new ShareFormatException(name, 0, "vlan", "is " + c.vlan() + ", but this is the share of VLAN " + vlan);
            }
            return c.render();
        }

        @Override
        Function<ShareLayout, Path> target() {
            return ShareLayout::config;
        }


        @Override
        HeadnodeCommand root() {
            return parent.root;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the VLAN's headnode.conf.")
    public static final class Show extends ShareFileCommand.Show {
        @ParentCommand
        ConfigCommand parent;

        @Override
        HeadnodeCommand root() {
            return parent.root;
        }

        @Override
        Function<ShareLayout, Path> target() {
            return ShareLayout::config;
        }

        @Override
        String render(String name, byte[] content) throws ShareFormatException {
            return new String(HeadnodeConfig.parse(name, content).render(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
