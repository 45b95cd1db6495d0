package io.headnode.orchestrator.cli;

import io.headnode.contract.CredentialsFile;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import io.headnode.orchestrator.share.ShareDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code headnode credentials push|show}: the VLAN's credentials.conf (BMC drivers and secrets), mode 0600. */
@Command(name = "credentials", mixinStandardHelpOptions = true, description = "Manage a VLAN's BMC credentials (credentials.conf).",
        subcommands = {CredentialsCommand.Push.class, CredentialsCommand.Show.class})
public final class CredentialsCommand implements Callable<Integer> {
    @Spec
    CommandSpec cmd;
    @ParentCommand
    HeadnodeCommand root;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "missing subcommand: push or show");
    }

    /** Validates FILE and installs it as credentials.conf: 0600, owned by the QEMU user, never printed. */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Validate FILE ('<mac|bmc-address|*> driver=.. user=.. secret=..' lines) and install it as the VLAN's credentials.conf.")
    public static final class Push extends ShareFileCommand {
        @ParentCommand
        CredentialsCommand parent;

        @Override
        byte[] normalize(String name, byte[] content) throws ShareFormatException {
            return CredentialsFile.parse(name, content).render();
        }

        @Override
        Function<ShareLayout, Path> target() {
            return ShareLayout::credentials;
        }

        @Override
        boolean write(ShareDirectory share, Path target, byte[] content) throws IOException {
            return share.writeSecret(target, content);
        }

        @Override
        HeadnodeCommand root() {
            return parent.root;
        }
    }

    /** Lists the entries with secrets redacted. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the VLAN's credentials, secrets redacted.")
    public static final class Show extends ShareFileCommand.Show {
        @ParentCommand
        CredentialsCommand parent;

        @Override
        HeadnodeCommand root() {
            return parent.root;
        }

        @Override
        Function<ShareLayout, Path> target() {
            return ShareLayout::credentials;
        }

        @Override
        String render(String name, byte[] content) throws ShareFormatException {
            StringBuilder b = new StringBuilder();
            CredentialsFile.parse(name, content).entries().forEach(e -> b.append(e).append('\n'));
            return b.toString();
        }
    }
}
