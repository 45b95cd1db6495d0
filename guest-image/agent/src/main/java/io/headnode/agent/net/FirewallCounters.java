package io.headnode.agent.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.agent.AgentConfig;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet counters of the agent's firewall table: its counting rules on the private interface
 * ({@link Firewall#COUNTED}: DHCP requests to udp/67, TFTP requests to udp/69), read with {@code nft -j list table}
 * and parsed as JSON (nftables' own JSON schema: a rule's {@code comment} and its {@code counter} expression).
 * dhcpd and in.tftpd are separate daemons that count nothing themselves; the kernel counts for them.
 */
public final class FirewallCounters {
    private static final Logger LOG = LoggerFactory.getLogger(FirewallCounters.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AgentConfig config;
    private final CommandRunner runner;

    /** Packets and bytes a counting rule has seen. */
    public record Count(long packets, long bytes) {
    }

    @Inject
    public FirewallCounters(AgentConfig config, CommandRunner runner) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
    }

    /** The counters by rule comment; empty when the firewall is not managed, or the table cannot be read. */
    public Map<String, Count> read() {
        if (!config.manageFirewall()) {
            return Map.of();
        }
        try {
            CommandResult r = runner.run(List.of(config.nft(), "-j", "list", "table", "inet", Firewall.TABLE), Duration.ofSeconds(5));
            if (!r.ok()) {
                LOG.debug("cannot read the firewall counters: {}", r.describe());
                return Map.of();
            }
            return parse(r.stdout());
        } catch (CommandException | IOException e) {
            LOG.debug("cannot read the firewall counters: {}", e.toString());
            return Map.of();
        }
    }

    /** The counters of {@code nft -j} output, by the comment of the rule holding them. */
    public static Map<String, Count> parse(String json) throws IOException {
        Map<String, Count> out = new LinkedHashMap<>();
        for (JsonNode item : JSON.readTree(json).path("nftables")) {
            JsonNode rule = item.path("rule");
            String comment = rule.path("comment").asText("");
            if (comment.isEmpty()) {
                continue;
            }
            for (JsonNode expr : rule.path("expr")) {
                JsonNode counter = expr.path("counter");
                if (counter.isObject()) {
                    out.put(comment, new Count(counter.path("packets").asLong(), counter.path("bytes").asLong()));
                }
            }
        }
        return out;
    }
}
