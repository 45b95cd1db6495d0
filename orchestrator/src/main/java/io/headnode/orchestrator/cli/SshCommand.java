package io.headnode.orchestrator.cli;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.ssh.SshInvocation;
import io.headnode.orchestrator.status.AgentStatusReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code headnode ssh --vlan N [-- CMD...]}: ssh to the head node's public address as root, trusting exactly the host
 * keys its agent reported over the status channel ({@link SshInvocation}). Exits with ssh's exit code.
 */
@Command(name = "ssh", mixinStandardHelpOptions = true,
        description = "Log in to a VLAN's head node (or run CMD there) over ssh, checking the host keys its agent reported: no trust-on-first-use prompt.")
public final class SshCommand implements Callable<Integer> {
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--vlan", required = true, converter = VlanOption.class)
    Vlan vlan;
    @Option(names = {"-l", "--user"}, defaultValue = "root", description = "remote user (default root)")
    String user;
    @Option(names = {"-i", "--identity"}, paramLabel = "FILE", description = "private key file for ssh -i")
    Path identity;
    @Option(names = {"-o", "--ssh-option"}, paramLabel = "Name=value", description = "more ssh options (cannot override the host key checks)")
    List<String> options = new ArrayList<>();
    @Option(names = "--status-timeout", defaultValue = "12s", converter = IntervalOption.class,
            description = "how long to wait for the agent's status line (default 12s; the agent sends one at least every 10 s)")
    Duration statusTimeout;
    @Parameters(paramLabel = "CMD", arity = "0..*", description = "command to run instead of a login shell (after --)")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path socket = root.get(HeadnodePaths.class).statusSocket(vlan);
        AgentStatus status = AgentStatusReader.first(socket, statusTimeout).orElseThrow(() -> new IllegalStateException(
                "no status from the agent of VLAN " + vlan + " within " + statusTimeout.toSeconds() + " s (" + socket + "): is the head node running?"));
        SshInvocation ssh;
        try {
            ssh = SshInvocation.of(root.hostConfig().networkCommandPrefix(), vlan, status.ssh(), user, Optional.ofNullable(identity), options, command);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path knownHosts = Files.createTempFile("headnode-known-hosts-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(knownHosts, ssh.knownHosts(), StandardCharsets.UTF_8);
            cmd.commandLine().getOut().flush();
            // the admin's terminal, in and out: an interactive session runs as long as the admin wants (ssh bounds the connect)
            Process p = new ProcessBuilder(ssh.argv(knownHosts)).inheritIO().start();
            return p.waitFor();
        } finally {
            Files.deleteIfExists(knownHosts);
        }
    }
}
