package io.headnode.orchestrator.cli;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.share.ShareDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
        boolean write(ShareDirectory share, Path target, byte[] content) throws IOException {
            return AtomicFiles.writeIfChanged(target, content);
        }

        @Override
        HeadnodeCommand root() {
            return parent.root;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the VLAN's headnode.conf.")
    public static final class Show implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;
        @Spec
        CommandSpec cmd;
        @Option(names = "--vlan", required = true, converter = VlanOption.class)
        Vlan vlan;

        @Override
        public Integer call() throws Exception {
            Path target = parent.root.get(ShareDirectory.class).layout(vlan).config();
            if (!Files.exists(target)) {
                cmd.commandLine().getOut().println("# no headnode.conf for VLAN " + vlan);
                return 0;
            }
            cmd.commandLine().getOut().print(new String(HeadnodeConfig.parse(target.toString(), Files.readAllBytes(target)).render(),
                    java.nio.charset.StandardCharsets.UTF_8));
            cmd.commandLine().getOut().flush();
            return 0;
        }
    }
}
