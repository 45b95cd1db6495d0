package io.headnode.orchestrator.spec;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.HostConfig;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names and host paths derived from the configuration and a VLAN id: one place, so every step agrees. */
public final class HeadnodePaths {
    /** Status channel name the agent writes to (/dev/virtio-ports/io.headnode.status in the guest). */
    public static final String STATUS_CHANNEL = "io.headnode.status";
    private static final Pattern DOMAIN_NAME = Pattern.compile("headnode-vlan([0-9]{1,4})");
    private final HostConfig config;

    @Inject
    public HeadnodePaths(HostConfig config) {
        this.config = Objects.requireNonNull(config, "config is null");
    }

    public static String domainName(Vlan vlan) {
        return "headnode-vlan" + vlan.id();
    }

    /** The VLAN of a domain we manage, from its name; empty for any other domain. */
    public static Optional<Vlan> vlanOfDomain(String name) {
        Matcher m = DOMAIN_NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Vlan(Integer.parseInt(m.group(1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String vlanBridge(Vlan vlan) {
        return config.bridgePrefix() + vlan.id();
    }

    public static String vlanLink(String trunk, Vlan vlan) {
        return trunk + "." + vlan.id();
    }

    public Path shareDir(Vlan vlan) {
        return config.shareRoot().resolve(Integer.toString(vlan.id()));
    }

    public Path overlay(Vlan vlan) {
        return config.stateDir().resolve("disks").resolve(domainName(vlan) + ".qcow2");
    }

    public Path consoleLog(Vlan vlan) {
        return config.stateDir().resolve("console").resolve(domainName(vlan) + ".log");
    }

    public Path statusSocket(Vlan vlan) {
        return config.stateDir().resolve("run").resolve("vlan" + vlan.id() + ".status");
    }

    public Path lockFile(Vlan vlan) {
        return config.stateDir().resolve("locks").resolve("vlan" + vlan.id() + ".lock");
    }

    public HostConfig config() {
        return config;
    }
}
