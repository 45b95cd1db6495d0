package io.headnode.agent.apply;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.dhcp.AddressBook;
import io.headnode.agent.dhcp.DhcpBackend;
import io.headnode.agent.dhcp.DhcpBackend.ApplyResult;
import io.headnode.agent.dhcp.DhcpHost;
import io.headnode.agent.dhcp.DhcpPlan;
import io.headnode.agent.dhcp.UnservedArchitectures;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.Ipv4Cidr;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fixed addresses for the listed machines ({@link AddressBook}) and the DHCP server's configuration
 * ({@link DhcpBackend}: validated before it replaces what is in force, server restarted only on a change). Gates the rest.
 */
public final class DhcpStep implements ApplyStep {
    private final AgentConfig config;
    private final AddressBook addressBook;
    private final DhcpBackend dhcp;
    private volatile Map<MacAddress, String> addresses = Map.of();
    private volatile boolean applied;

    public DhcpStep(AgentConfig config, AddressBook addressBook, DhcpBackend dhcp) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.addressBook = Objects.requireNonNull(addressBook, "addressBook is null");
        this.dhcp = Objects.requireNonNull(dhcp, "dhcp is null");
    }

    @Override
    public String name() {
        return "dhcpd";
    }

    @Override
    public boolean gates() {
        return true;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        Ipv4Cidr priv = share.config().privateAddress();
        Map<MacAddress, String> fixed;
        try {
            Set<String> reserved = new HashSet<>();
            reserved.add(priv.ip());
            share.config().bmcAddress().ifPresent(b -> reserved.add(b.ip()));
            List<MacAddress> macs = new ArrayList<>(share.machines().machines().size());
            for (Machine m : share.machines().machines()) {
                macs.add(m.mac());
            }
            fixed = addressBook.assign(macs, priv, reserved);
        } catch (IOException e) {
            return new StepResult.Failed("cannot persist fixed addresses: " + e.getMessage());
        }
        List<DhcpHost> hosts = new ArrayList<>(fixed.size());
        fixed.forEach((mac, a) -> hosts.add(new DhcpHost(mac, a)));
        ApplyResult r = dhcp.apply(new DhcpPlan(config.privateInterface(), priv, DhcpPlan.BootChoice.served(priv.ip(), config.httpPort()), hosts));
        if (r instanceof ApplyResult.Refused refused) {
            return new StepResult.Failed(refused.reason());
        }
        addresses = Map.copyOf(fixed);
        applied = true;
        if (r instanceof ApplyResult.Replaced replaced) {
            return StepResult.of(List.of("dhcpd.conf: " + replaced.hosts() + " hosts" + (replaced.restarted() ? ", dhcpd restarted" : "")));
        }
        return StepResult.UNCHANGED;
    }

    /** The fixed addresses of the listed machines, as of the last successful apply. */
    public Map<MacAddress, String> addresses() {
        return addresses;
    }

    @Override
    public void maintain() {
        dhcp.ensureRunning();
    }

    @Override
    public Map<String, Health> health() {
        Map<String, Health> out = new LinkedHashMap<>();
        out.put("dhcpd", applied ? dhcp.health() : Health.pending("waiting for a valid share"));
        out.put("boot-architectures", architectures());
        return out;
    }

    /** Listed machines whose firmware asked for an architecture dhcpd.conf does not serve (named with the code). */
    private Health architectures() {
        Map<MacAddress, String> listed = addresses;
        List<String> unserved = new ArrayList<>();
        new TreeMap<>(dhcp.unservedArchitectures()).forEach((mac, arch) -> {
            if (listed.containsKey(mac)) {
                unserved.add(mac + " asked for architecture " + arch + " (" + UnservedArchitectures.name(arch) + ")");
            }
        });
        return unserved.isEmpty() ? Health.ok("served: x86 BIOS (0), x64 UEFI (7, 9), x64 UEFI HTTP (16)")
                : Health.failed(String.join("; ", unserved) + ": not served, no boot file");
    }

    @Override
    public void close() {
        dhcp.stop();
    }
}
