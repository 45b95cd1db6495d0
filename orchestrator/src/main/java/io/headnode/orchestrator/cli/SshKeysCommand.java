package io.headnode.orchestrator.cli;

import io.headnode.contract.AuthorizedKeys;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code headnode ssh-keys push|show}: the admins' public keys for root on the head node (the share's authorized_keys). */
@Command(name = "ssh-keys", mixinStandardHelpOptions = true, description = "Manage the admins' ssh keys for root on a VLAN's head node.",
        subcommands = {SshKeysCommand.Push.class, SshKeysCommand.Show.class})
public final class SshKeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec cmd;
    @ParentCommand
    HeadnodeCommand root;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "missing subcommand: push or show");
    }

    /** Validates a public key file and writes it, normalized, into the share (atomically; unchanged = untouched). */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Validate FILE ('[restrict,no-pty,...] <type> <base64> [comment]' lines, # comments) and install it as the "
                    + "VLAN's authorized_keys; the agent writes it as root's ~/.ssh/authorized_keys.")
    public static final class Push extends ShareFileCommand {
        @ParentCommand
        SshKeysCommand parent;

        @Override
        byte[] normalize(String name, byte[] content) throws ShareFormatException {
            return AuthorizedKeys.parse(name, content).render();
        }

        @Override
        String summary(byte[] normalized) {
            try {
                return AuthorizedKeys.parse(AuthorizedKeys.FILE_NAME, normalized).entries().size() + " keys";
            } catch (ShareFormatException e) {
                throw new IllegalStateException("rendered authorized_keys does not parse: " + e.getMessage(), e);
            }
        }

        @Override
        Function<ShareLayout, Path> target() {
            return ShareLayout::authorizedKeys;
        }


        @Override
        HeadnodeCommand root() {
            return parent.root;
        }
    }

    /** Prints the VLAN's keys, each with its fingerprint. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the VLAN's authorized_keys with each key's fingerprint.")
    public static final class Show extends ShareFileCommand.Show {
        @ParentCommand
        SshKeysCommand parent;

        @Override
        HeadnodeCommand root() {
            return parent.root;
        }

        @Override
        Function<ShareLayout, Path> target() {
            return ShareLayout::authorizedKeys;
        }

        @Override
        String render(String name, byte[] content) throws ShareFormatException {
            StringBuilder b = new StringBuilder();
            AuthorizedKeys.parse(name, content).entries().forEach(e -> b.append("# ").append(e.key().fingerprint()).append('\n')
                    .append(e.line()).append('\n'));
            return b.toString();
        }
    }
}
