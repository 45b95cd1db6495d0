package io.headnode.orchestrator.ssh;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.Vlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code ssh} to a head node, built from what its agent reported ({@link AgentStatus.Ssh}): the public address and
 * a known_hosts file holding exactly the reported host keys under the alias {@code headnode-vlanN}, with
 * {@code StrictHostKeyChecking=yes}, so ssh never asks to trust a key on first use and refuses any other key. Those
 * options come first: ssh keeps the first value it is given for an option, so an admin's {@code -o} cannot weaken
 * them. The command is an argument array (the network command prefix, e.g. {@code ip netns exec NS}, first).
 */
public record SshInvocation(List<String> prefix, Vlan vlan, String address, List<AgentStatus.HostKey> hostKeys, String user,
                            Optional<Path> identity, List<String> options, List<String> command) {
    /** How long ssh may take to connect (the session itself has no limit: it is the admin's). */
    public static final int CONNECT_TIMEOUT_SECONDS = 15;
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern OPTION = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,40}=[^\\x00-\\x1f\\x7f]{0,400}");

    public SshInvocation {
        prefix = List.copyOf(prefix);
        Objects.requireNonNull(vlan, "vlan is null");
        if (!AgentStatus.Ssh.isAddress(address)) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address");
        }
        hostKeys = List.copyOf(hostKeys);
        if (hostKeys.isEmpty()) {
            throw new IllegalArgumentException("no host keys: ssh could not check whom it talks to");
        }
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("'" + user + "' is not a user name");
        }
        Objects.requireNonNull(identity, "identity is null");
        options = List.copyOf(options);
        for (String o : options) {
            if (!OPTION.matcher(o).matches()) {
                throw new IllegalArgumentException("ssh option '" + o + "' is not Name=value");
            }
        }
        command = List.copyOf(command);
    }

    /**
     * The head node's ssh invocation from its agent's status. IllegalStateException when the status has no host key or
     * no routable address yet; IllegalArgumentException for a bad user or option.
     */
    public static SshInvocation of(List<String> prefix, Vlan vlan, AgentStatus.Ssh ssh, String user, Optional<Path> identity,
                                   List<String> options, List<String> command) {
        if (ssh.hostKeys().isEmpty()) {
            throw new IllegalStateException("the agent of VLAN " + vlan + " reports no ssh host keys yet (the head node makes them on its first boot)");
        }
        String address = ssh.connectAddress().orElseThrow(() -> new IllegalStateException("the agent of VLAN " + vlan
                + " reports no routable public address" + (ssh.addresses().isEmpty() ? "" : " (only " + ssh.addresses() + ")")));
        return new SshInvocation(prefix, vlan, address, ssh.hostKeys(), user, identity, options, command);
    }

    /** The name the host keys are filed under in the known_hosts file (and that ssh checks them against). */
    public String alias() {
        return "headnode-vlan" + vlan.id();
    }

    /** The known_hosts file: one line per reported key. */
    public String knownHosts() {
        StringBuilder b = new StringBuilder();
        hostKeys.forEach(k -> b.append(alias()).append(' ').append(k.type()).append(' ').append(k.key()).append('\n'));
        return b.toString();
    }

    /** The argument array, with {@code knownHostsFile} holding {@link #knownHosts()}. */
    public List<String> argv(Path knownHostsFile) {
        List<String> a = new ArrayList<>(prefix);
        a.add("ssh");
        for (String o : List.of("StrictHostKeyChecking=yes", "UserKnownHostsFile=" + knownHostsFile, "GlobalKnownHostsFile=/dev/null",
                "HostKeyAlias=" + alias(), "UpdateHostKeys=no", "CheckHostIP=no", "ConnectTimeout=" + CONNECT_TIMEOUT_SECONDS)) {
            a.add("-o");
            a.add(o);
        }
        identity.ifPresent(i -> {
            a.add("-i");
            a.add(i.toString());
        });
        for (String o : options) {
            a.add("-o");
            a.add(o);
        }
        a.add("-l");
        a.add(user);
        a.add("--");
        a.add(address);
        a.addAll(command);
        return a;
    }
}
