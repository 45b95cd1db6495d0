package io.headnode.agent.net;

import io.headnode.agent.AgentConfig;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.Ipv4Cidr;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private interface's addresses from headnode.conf: the static private address and, optionally, a second
 * address on the BMC management subnet (the seed's eth0:1). Idempotent: reads the interface's IPv4 addresses and
 * adds only what is missing, removes only global IPv4 addresses that are not wanted. The public interface (eth1)
 * is left to DHCP (the guest image's ifupdown).
 */
public final class NetworkSetup {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkSetup.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final AgentConfig config;
    private final CommandRunner runner;

    @Inject
    public NetworkSetup(AgentConfig config, CommandRunner runner) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
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
        List<String> changes = new ArrayList<>();
        CommandResult link = runner.run(List.of(config.ip(), "-o", "link", "show", "dev", dev), TIMEOUT);
        if (!link.ok()) {
            throw new IllegalStateException("interface " + dev + " is not there (" + link.describe() + ")");
        }
        if (!link.stdout().contains(",UP") && !link.stdout().contains("<UP")) {
            check(List.of(config.ip(), "link", "set", "dev", dev, "up"));
            changes.add("link up");
        }
        Set<String> present = current(dev);
        List<String> want = desired(c);
        for (int i = 0; i < want.size(); i++) {
            String a = want.get(i);
            if (!present.contains(a)) {
                List<String> cmd = new ArrayList<>(List.of(config.ip(), "addr", "add", a, "dev", dev));
                String label = dev + ":" + i;
                if (i > 0 && label.length() <= 15) {
                    cmd.addAll(List.of("label", label));
                }
                check(cmd);
                changes.add("+" + a);
            }
        }
        for (String a : present) {
            if (!want.contains(a)) {
                check(List.of(config.ip(), "addr", "del", a, "dev", dev));
                changes.add("-" + a);
            }
        }
        if (!changes.isEmpty()) {
            LOG.info("{}: {}", dev, String.join(" ", changes));
        }
        return changes;
    }

    /** The global-scope IPv4 addresses on {@code dev}, as a.b.c.d/p. */
    Set<String> current(String dev) {
        CommandResult r = check(List.of(config.ip(), "-o", "-4", "addr", "show", "dev", dev, "scope", "global"));
        Set<String> out = new LinkedHashSet<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet")) {
                    out.add(f[i + 1]);
                }
            }
        }
        return out;
    }

    private CommandResult check(List<String> cmd) {
        CommandResult r = runner.run(cmd, TIMEOUT);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + r.describe());
        }
        return r;
    }
}
