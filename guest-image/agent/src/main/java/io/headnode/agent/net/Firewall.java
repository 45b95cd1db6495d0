package io.headnode.agent.net;

import io.headnode.agent.AgentConfig;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.CommandSpec;
import io.headnode.contract.AgentStatus.Health;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nftables, one table {@code inet headnode} (IPv4 and IPv6 together): on the public interface everything is
 * dropped except ssh, established/related traffic and the ICMPv6 neighbour/router messages IPv6 itself needs.
 * Applied as one atomic transaction that replaces the table, so applying twice changes nothing.
 */
public final class Firewall {
    public static final String TABLE = "headnode";
    /**
     * Counting rules on the private interface (they count and accept nothing themselves), by comment: requests to
     * dhcpd (udp/67) and to in.tftpd (udp/69; the transfer itself runs on other ports). Read by {@link FirewallCounters}.
     */
    public static final Map<String, Integer> COUNTED = Map.of("dhcp", 67, "tftp", 69);
    private static final Logger LOG = LoggerFactory.getLogger(Firewall.class);
    private final AgentConfig config;
    private final CommandRunner runner;
    private volatile Health health = Health.pending("not applied yet");

    @Inject
    public Firewall(AgentConfig config, CommandRunner runner) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
    }

    public String ruleset() {
        String pub = config.publicInterface();
        StringBuilder counted = new StringBuilder();
        new TreeMap<>(COUNTED).forEach((comment, port) -> counted.append("    iifname \"").append(config.privateInterface())
                .append("\" udp dport ").append(port).append(" counter comment \"").append(comment).append("\"\n"));
        return "table inet " + TABLE + "\n"
                + "delete table inet " + TABLE + "\n"
                + "table inet " + TABLE + " {\n"
                + "  chain input {\n"
                + "    type filter hook input priority filter; policy accept;\n"
                + counted
                + "    iifname \"" + pub + "\" ct state established,related accept\n"
                + "    iifname \"" + pub + "\" ct state invalid drop\n"
                + "    iifname \"" + pub + "\" tcp dport 22 accept\n"
                + "    iifname \"" + pub + "\" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } ip6 hoplimit 255 accept\n"
                + "    iifname \"" + pub + "\" counter drop\n"
                + "  }\n"
                + "}\n";
    }

    /** Replaces the table (atomic); true on success. */
    public boolean apply() {
        Optional<String> problem = load();
        if (problem.isEmpty()) {
            if (!health.healthy()) {
                LOG.info("firewall in force: {} accepts only ssh and established traffic", config.publicInterface());
            }
            health = Health.ok("in force");
            return true;
        }
        health = Health.failed("nft -f: " + problem.get());
        LOG.error("firewall not applied: {}", problem.get());
        return false;
    }

    /** Loads the ruleset with {@code nft -f -}; why it failed, if it did. */
    private Optional<String> load() {
        try {
            CommandResult r = runner.run(CommandSpec.of(List.of(config.nft(), "-f", "-"), Duration.ofSeconds(15)).withStdin(ruleset()));
            return r.ok() ? Optional.empty() : Optional.of(r.describe());
        } catch (CommandException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Re-applies if the table disappeared or lost its drop rule (someone flushed the ruleset). Returns true if it
     * had to (and false when the table was in place).
     */
    public boolean ensure() {
        if (!inForce()) {
            if (health.healthy()) {
                LOG.warn("firewall table inet {} missing or changed; re-applying", TABLE);
            }
            apply();
            return true;
        }
        if (!health.healthy()) {
            health = Health.ok("in force");
        }
        return false;
    }

    private boolean inForce() {
        try {
            CommandResult r = runner.run(List.of(config.nft(), "list", "table", "inet", TABLE), Duration.ofSeconds(10));
            return r.ok() && r.stdout().contains("tcp dport 22 accept") && r.stdout().contains("drop");
        } catch (CommandException e) {
            LOG.debug("cannot list the firewall table: {}", e.getMessage());
            return false;
        }
    }

    /** OK "in force", FAILED with nft's answer, or PENDING before the first apply. */
    public Health health() {
        return health;
    }
}
