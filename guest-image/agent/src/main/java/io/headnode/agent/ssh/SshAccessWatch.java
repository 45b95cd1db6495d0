package io.headnode.agent.ssh;

import io.headnode.common.iproute.Address;
import io.headnode.common.iproute.InterfaceAddresses;
import io.headnode.common.iproute.IpRoute;
import io.headnode.contract.AgentStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the status reports for ssh ({@link AgentStatus.Ssh}): the public interface's addresses (eth1, from DHCP, so
 * they can change) and sshd's host keys (generated on the first boot, maybe after the agent started). Refreshed by
 * {@link #refresh()}; read by the status at any time.
 */
public final class SshAccessWatch {
    private static final Logger LOG = LoggerFactory.getLogger(SshAccessWatch.class);
    private final IpRoute ip;
    private final String publicInterface;
    private final HostKeys hostKeys;
    private volatile AgentStatus.Ssh current = AgentStatus.Ssh.NONE;
    private String lastProblem = "";

    public SshAccessWatch(IpRoute ip, String publicInterface, HostKeys hostKeys) {
        this.ip = Objects.requireNonNull(ip, "ip is null");
        this.publicInterface = Objects.requireNonNull(publicInterface, "publicInterface is null");
        this.hostKeys = Objects.requireNonNull(hostKeys, "hostKeys is null");
    }

    /** Reads the addresses and host keys again; an address that cannot be read leaves the list empty. */
    public synchronized void refresh() {
        List<String> addresses = List.of();
        try {
            InterfaceAddresses iface = ip.addresses().get(publicInterface);
            addresses = iface == null ? List.of() : ordered(iface.addresses());
            lastProblem = "";
        } catch (RuntimeException e) {
            if (!e.toString().equals(lastProblem)) {
                LOG.warn("cannot read the addresses of {}: {}", publicInterface, e.toString());
                lastProblem = e.toString();
            }
        }
        AgentStatus.Ssh next = new AgentStatus.Ssh(addresses, hostKeys.read());
        if (!next.equals(current)) {
            LOG.info("ssh access: addresses {}, host keys {}", next.addresses(),
                    next.hostKeys().stream().map(k -> k.type() + " " + k.fingerprint()).toList());
        }
        current = next;
    }

    public AgentStatus.Ssh current() {
        return current;
    }

    /** Global IPv4, then global IPv6, then link-local IPv6, each in the kernel's order; no prefix length. */
    static List<String> ordered(List<Address> addresses) {
        List<Address> out = new ArrayList<>();
        for (Address a : addresses) {
            if (a.isGlobal() || !a.isIpv4() && a.scope().equals("link")) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparingInt(a -> a.isIpv4() ? 0 : a.isGlobal() ? 1 : 2));
        return out.stream().map(a -> a.local().toLowerCase(java.util.Locale.ROOT)).filter(AgentStatus.Ssh::isAddress).toList();
    }
}
