package io.headnode.common.iproute;

import io.headnode.common.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * iproute2, the one way host and guest read and change network links and addresses: reads with {@code ip -json}
 * (parsed by {@link IpJson}, never scraped text), changes with argument arrays through a {@link CommandRunner}
 * (which may carry a prefix such as {@code ip netns exec NS}). A refused change throws the runner's
 * {@link io.headnode.common.exec.CommandException} naming the command and iproute2's complaint.
 */
public final class IpRoute {
    /** iproute2 answers at once; a command still running after this is stuck (a wedged netlink, a hung prefix). */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final CommandRunner runner;
    private final String ip;

    /** @param ip the ip binary: "ip" (found on PATH) or a full path such as /usr/sbin/ip */
    public IpRoute(CommandRunner runner, String ip) {
        this.runner = Objects.requireNonNull(runner, "runner is null");
        this.ip = Objects.requireNonNull(ip, "ip is null");
    }

    /** Every link, by name ({@code ip -details -json link show}). */
    public Map<String, Link> links() {
        return IpJson.links(read("-details", "-json", "link", "show"));
    }

    /** Every interface's state and addresses, by name ({@code ip -json addr show}). */
    public Map<String, InterfaceAddresses> addresses() {
        return IpJson.addresses(read("-json", "addr", "show"));
    }

    /**
     * The neighbour table of {@code dev} ({@code ip -json neigh show dev DEV}): which MAC holds which address on that
     * link, as the kernel last learned it. One netlink dump; cost grows with the table (about 70 bytes of JSON per entry).
     */
    public List<Neighbour> neighbours(String dev) {
        return IpJson.neighbours(read("-json", "neigh", "show", "dev", dev));
    }

    public void addBridge(String bridge) {
        change("link", "add", "name", bridge, "type", "bridge");
    }

    /** An 802.1Q link {@code name} on {@code trunk} carrying VLAN {@code vlanId}. */
    public void addVlanLink(String trunk, String name, int vlanId) {
        change("link", "add", "link", trunk, "name", name, "type", "vlan", "id", Integer.toString(vlanId));
    }

    /** Makes {@code link} a port of {@code bridge}. */
    public void setMaster(String link, String bridge) {
        change("link", "set", "dev", link, "master", bridge);
    }

    public void setUp(String link) {
        change("link", "set", "dev", link, "up");
    }

    public void delete(String link) {
        change("link", "delete", "dev", link);
    }

    /** Adds {@code cidr} (a.b.c.d/p) to {@code dev}, with an IPv4 label such as eth0:1 when given. */
    public void addAddress(String dev, String cidr, Optional<String> label) {
        List<String> args = new ArrayList<>(List.of("addr", "add", cidr, "dev", dev));
        label.ifPresent(l -> args.addAll(List.of("label", l)));
        change(args.toArray(String[]::new));
    }

    public void deleteAddress(String dev, String cidr) {
        change("addr", "del", cidr, "dev", dev);
    }

    private String read(String... args) {
        return runner.run(command(args), TIMEOUT).orThrow().stdout();
    }

    private void change(String... args) {
        runner.run(command(args), TIMEOUT).orThrow();
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(args.length + 1);
        cmd.add(ip);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
