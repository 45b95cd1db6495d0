package io.headnode.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The agent's own settings (not the share's): every guest path and interface name, so tests can root
 * everything in a temp directory and use veth names. File format: {@code key = value} lines, # comments;
 * an unknown key is a startup error. Default file: /etc/headnode/agent.conf (absent = all defaults).
 */
public record AgentConfig(
        Path shareMount, boolean mountShare, Path mountInfo,
        Path stateDir, Path tftpRoot, Path dhcpDir, Path runDir, Path templatesDir,
        String privateInterface, String publicInterface,
        Path statusPort, Duration pollInterval, Duration statusInterval,
        int httpPort, int httpThreads, Duration httpRequestTimeout,
        Path pxelinuxDir, Path syslinuxModulesDir, Path memdisk,
        String ip, String dhcpd, String tftpd, String radvd, String nft, String mount, Path dhcpdLeases, Path dhcpdPidFile,
        boolean manageNetwork, boolean manageFirewall, boolean runServices) {

    public static final Path DEFAULT_FILE = Path.of("/etc/headnode/agent.conf");

    public AgentConfig {
        Objects.requireNonNull(shareMount, "share-mount is null");
        Objects.requireNonNull(stateDir, "state-dir is null");
        Objects.requireNonNull(tftpRoot, "tftp-root is null");
        Objects.requireNonNull(dhcpDir, "dhcp-dir is null");
        Objects.requireNonNull(runDir, "run-dir is null");
        requireInterface(privateInterface, "private-interface");
        requireInterface(publicInterface, "public-interface");
        if (httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException("http-port " + httpPort + " is outside 1..65535");
        }
        if (httpThreads < 1 || httpThreads > 64) {
            throw new IllegalArgumentException("http-threads " + httpThreads + " is outside 1..64");
        }
        if (pollInterval.toMillis() < 50 || statusInterval.toMillis() < 50) {
            throw new IllegalArgumentException("intervals must be at least 50 ms");
        }
    }

    private static void requireInterface(String name, String key) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException(key + " '" + name + "' is not an interface name");
        }
    }

    public static AgentConfig defaults() {
        return fromMap(Map.of());
    }

    public static AgentConfig load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return defaults();
        }
        Map<String, String> values = new LinkedHashMap<>();
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(file + ":" + n + ": expected 'key = value'");
            }
            String key = line.substring(0, eq).strip();
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException(file + ":" + n + ": " + key + ": unknown key (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            if (values.put(key, line.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(file + ":" + n + ": " + key + ": given twice");
            }
        }
        try {
            return fromMap(values);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static final Map<String, String> DEFAULTS = new TreeMap<>(Map.ofEntries(
            Map.entry("share-mount", "/etc/moc"),
            Map.entry("mount-share", "true"),
            Map.entry("mount-info", "/proc/self/mountinfo"),
            Map.entry("state-dir", "/var/lib/headnode-agent"),
            Map.entry("tftp-root", "/var/lib/tftpboot"),
            Map.entry("dhcp-dir", "/etc/dhcp"),
            Map.entry("run-dir", "/run/headnode-agent"),
            Map.entry("templates-dir", "/etc/headnode/templates"),
            Map.entry("private-interface", "eth0"),
            Map.entry("public-interface", "eth1"),
            Map.entry("status-port", io.headnode.contract.AgentStatus.GUEST_PORT),
            Map.entry("poll-interval-ms", "2000"),
            Map.entry("status-interval-ms", Integer.toString(io.headnode.contract.AgentStatus.MAX_INTERVAL_SECONDS * 1000)),
            Map.entry("http-port", "80"),
            Map.entry("http-threads", "2"),
            Map.entry("http-request-timeout-ms", "10000"),
            Map.entry("pxelinux-dir", "/usr/lib/PXELINUX"),
            Map.entry("syslinux-modules-dir", "/usr/lib/syslinux/modules/bios"),
            Map.entry("memdisk", "/usr/lib/syslinux/memdisk"),
            Map.entry("ip", "/usr/sbin/ip"),
            Map.entry("dhcpd", "/usr/sbin/dhcpd"),
            Map.entry("tftpd", "/usr/sbin/in.tftpd"),
            Map.entry("radvd", "/usr/sbin/radvd"),
            Map.entry("nft", "/usr/sbin/nft"),
            Map.entry("mount", "/usr/bin/mount"),
            // where Debian's AppArmor profile for dhcpd (usr.sbin.dhcpd) lets it write
            Map.entry("dhcpd-leases", "/var/lib/dhcp/dhcpd.leases"),
            Map.entry("dhcpd-pid-file", "/run/dhcpd.pid"),
            Map.entry("manage-network", "true"),
            Map.entry("manage-firewall", "true"),
            Map.entry("run-services", "true")));

    static AgentConfig fromMap(Map<String, String> given) {
        Map<String, String> v = new TreeMap<>(DEFAULTS);
        v.putAll(given);
        return new AgentConfig(
                Path.of(v.get("share-mount")), bool(v, "mount-share"), Path.of(v.get("mount-info")),
                Path.of(v.get("state-dir")), Path.of(v.get("tftp-root")), Path.of(v.get("dhcp-dir")), Path.of(v.get("run-dir")),
                Path.of(v.get("templates-dir")),
                v.get("private-interface"), v.get("public-interface"),
                Path.of(v.get("status-port")), Duration.ofMillis(num(v, "poll-interval-ms")), Duration.ofMillis(num(v, "status-interval-ms")),
                (int) num(v, "http-port"), (int) num(v, "http-threads"), Duration.ofMillis(num(v, "http-request-timeout-ms")),
                Path.of(v.get("pxelinux-dir")), Path.of(v.get("syslinux-modules-dir")), Path.of(v.get("memdisk")),
                v.get("ip"), v.get("dhcpd"), v.get("tftpd"), v.get("radvd"), v.get("nft"), v.get("mount"),
                Path.of(v.get("dhcpd-leases")), Path.of(v.get("dhcpd-pid-file")),
                bool(v, "manage-network"), bool(v, "manage-firewall"), bool(v, "run-services"));
    }

    private static boolean bool(Map<String, String> v, String key) {
        return switch (v.get(key)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + v.get(key) + "' is not true or false");
        };
    }

    private static long num(Map<String, String> v, String key) {
        try {
            return Long.parseLong(v.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v.get(key) + "' is not a whole number");
        }
    }

    public Path statusFile() {
        return stateDir.resolve("status.json");
    }

    public Path localRequests() {
        return stateDir.resolve("requests");
    }

    public Path pxelinuxCfg() {
        return tftpRoot.resolve("pxelinux.cfg");
    }
}
