package io.headnode.agent.net;

import io.headnode.agent.AgentConfig;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.iproute.InterfaceAddresses;
import io.headnode.common.iproute.IpRoute;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.Ipv4Cidr;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private interface's addresses from headnode.conf: the static private address and, optionally, a second
 * address on the BMC management subnet (the seed's eth0:1). Idempotent: reads the interface's state and IPv4
 * addresses ({@code ip -json addr show}, through {@link IpRoute}) and adds only what is missing, removes only global
 * IPv4 addresses that are not wanted. The public interface (eth1) is left to DHCP (the guest image's ifupdown).
 */
public final class NetworkSetup {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkSetup.class);
    private final AgentConfig config;
    private final IpRoute ip;

    @Inject
    public NetworkSetup(AgentConfig config, CommandRunner runner) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.ip = new IpRoute(Objects.requireNonNull(runner, "runner is null"), config.ip());
    }

    /** Desired addresses in CIDR form, private first. */
    public static List<String> desired(HeadnodeConfig c) {
        List<String> d = new ArrayList<>();
        d.add(c.privateAddress().toString());
        c.bmcAddress().map(Ipv4Cidr::toString).ifPresent(d::add);
        return d;
    }

    /**
     * Applies the addresses; returns the changes made (empty when nothing changed). Throws on failure
     * ({@link IllegalStateException}, or {@link io.headnode.common.exec.CommandException} when ip cannot run or times out).
     */
    public List<String> apply(HeadnodeConfig c) {
        String dev = config.privateInterface();
        InterfaceAddresses iface = ip.addresses().get(dev);
        if (iface == null) {
            throw new IllegalStateException("interface " + dev + " is not there");
        }
        List<String> changes = new ArrayList<>();
        if (!iface.up()) {
            ip.setUp(dev);
            changes.add("link up");
        }
        Set<String> present = new LinkedHashSet<>(iface.globalIpv4());
        List<String> want = desired(c);
        for (int i = 0; i < want.size(); i++) {
            String a = want.get(i);
            if (!present.contains(a)) {
                String label = dev + ":" + i;
                ip.addAddress(dev, a, i > 0 && label.length() <= 15 ? Optional.of(label) : Optional.empty());
                changes.add("+" + a);
            }
        }
        for (String a : present) {
            if (!want.contains(a)) {
                ip.deleteAddress(dev, a);
                changes.add("-" + a);
            }
        }
        if (!changes.isEmpty()) {
            LOG.info("{}: {}", dev, String.join(" ", changes));
        }
        return changes;
    }
}
