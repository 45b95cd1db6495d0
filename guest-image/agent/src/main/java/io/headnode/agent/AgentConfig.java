package io.headnode.agent;

import io.headnode.common.kv.FieldException;
import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvValues;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The agent's own settings (not the share's): every guest path and interface name, so tests can root
 * everything in a temp directory and use veth names. File format: {@code key = value} lines read by the common
 * parser ({@link KvFile}); an unknown key is a startup error. Default file: /etc/headnode/agent.conf (absent = all defaults).
 */
public record AgentConfig(
        Path shareMount, boolean mountShare, Path mountInfo,
        Path stateDir, Path tftpRoot, Path dhcpDir, Path runDir, Path templatesDir,
        String privateInterface, String publicInterface,
        Path statusPort, Duration pollInterval, Duration statusInterval,
        int httpPort, int httpThreads, Duration httpRequestTimeout,
        Path pxelinuxDir, Path syslinuxModulesDir, Path memdisk, Path shimFile, Path grubNetbootFile,
        String ip, String dhcpd, String tftpd, String radvd, String nft, String mount, Path dhcpdLeases, Path dhcpdPidFile,
        Path sshHostKeyDir, Path authorizedKeys,
        boolean manageNetwork, boolean manageFirewall, boolean runServices, Path imageMount) {

    public static final Path DEFAULT_FILE = Path.of("/etc/headnode/agent.conf");

    public AgentConfig {
        Objects.requireNonNull(shareMount, "share-mount is null");
        Objects.requireNonNull(stateDir, "state-dir is null");
        Objects.requireNonNull(tftpRoot, "tftp-root is null");
        Objects.requireNonNull(dhcpDir, "dhcp-dir is null");
        Objects.requireNonNull(runDir, "run-dir is null");
        Objects.requireNonNull(sshHostKeyDir, "ssh-host-key-dir is null");
        Objects.requireNonNull(authorizedKeys, "authorized-keys is null");
        Objects.requireNonNull(imageMount, "image-mount is null");
        requireInterface(privateInterface, "private-interface");
        requireInterface(publicInterface, "public-interface");
        if (httpPort < 1 || httpPort > 65535) {
            throw new FieldException("http-port", httpPort + " is outside 1..65535");
        }
        if (httpThreads < 1 || httpThreads > 64) {
            throw new FieldException("http-threads", httpThreads + " is outside 1..64");
        }
        if (pollInterval.toMillis() < 50) {
            throw new FieldException("poll-interval-ms", pollInterval.toMillis() + " is less than 50");
        }
        if (statusInterval.toMillis() < 50) {
            throw new FieldException("status-interval-ms", statusInterval.toMillis() + " is less than 50");
        }
        if (httpRequestTimeout.toMillis() < 1) {
            throw new FieldException("http-request-timeout-ms", httpRequestTimeout.toMillis() + " is less than 1");
        }
    }

    private static void requireInterface(String name, String key) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new FieldException(key, "'" + name + "' is not an interface name");
        }
    }

    public static AgentConfig defaults() {
        return fromMap(Map.of());
    }

    /** Reads {@code file} (absent: all defaults); an unknown key or a bad value is an error naming file, line and key. */
    public static AgentConfig load(Path file) throws IOException, KvException {
        KvFile f;
        try {
            f = KvFile.read(file);
        } catch (NoSuchFileException e) {
            return defaults();
        }
        return of(f);
    }

    /** Parses {@code content}, named {@code file} in errors; the same rules as {@link #load}. */
    public static AgentConfig parse(String file, byte[] content) throws KvException {
        return of(KvFile.parse(file, content));
    }

    private static AgentConfig of(KvFile f) throws KvException {
        f.requireKnown(DEFAULTS.keySet());
        Map<String, String> given = new LinkedHashMap<>();
        f.keys().forEach(k -> given.put(k, f.text(k).orElseThrow()));
        return f.build(() -> fromMap(given));
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
            // UEFI: Debian's signed shim (shim-signed) and GRUB netboot image (grub-efi-amd64-signed) at the packages' paths;
            // the image sets grub-netboot-file to Debian 13's (`http` built in; docs/design/uefi-boot.md, section 13)
            Map.entry("shim-file", "/usr/lib/shim/shimx64.efi.signed"),
            Map.entry("grub-netboot-file", "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed"),
            Map.entry("ip", "/usr/sbin/ip"),
            Map.entry("dhcpd", "/usr/sbin/dhcpd"),
            Map.entry("tftpd", "/usr/sbin/in.tftpd"),
            Map.entry("radvd", "/usr/sbin/radvd"),
            Map.entry("nft", "/usr/sbin/nft"),
            Map.entry("mount", "/usr/bin/mount"),
            // where Debian's AppArmor profile for dhcpd (usr.sbin.dhcpd) lets it write
            Map.entry("dhcpd-leases", "/var/lib/dhcp/dhcpd.leases"),
            Map.entry("dhcpd-pid-file", "/run/dhcpd.pid"),
            // sshd's host keys (ssh_host_*_key.pub, reported in the status) and root's keys (written from the share)
            Map.entry("ssh-host-key-dir", "/etc/ssh"),
            Map.entry("authorized-keys", "/root/.ssh/authorized_keys"),
            Map.entry("manage-network", "true"),
            Map.entry("manage-firewall", "true"),
            Map.entry("run-services", "true"),
            // the host's image catalog, the second 9p share (read-only), served as /images/NAME
            Map.entry("image-mount", io.headnode.contract.ImageCatalog.GUEST_MOUNT.toString())));

    static AgentConfig fromMap(Map<String, String> given) {
        Map<String, String> v = new TreeMap<>(DEFAULTS);
        v.putAll(given);
        return new AgentConfig(
                path(v, "share-mount"), bool(v, "mount-share"), path(v, "mount-info"),
                path(v, "state-dir"), path(v, "tftp-root"), path(v, "dhcp-dir"), path(v, "run-dir"),
                path(v, "templates-dir"),
                v.get("private-interface"), v.get("public-interface"),
                path(v, "status-port"), Duration.ofMillis(num(v, "poll-interval-ms")), Duration.ofMillis(num(v, "status-interval-ms")),
                whole(v, "http-port"), whole(v, "http-threads"), Duration.ofMillis(num(v, "http-request-timeout-ms")),
                path(v, "pxelinux-dir"), path(v, "syslinux-modules-dir"), path(v, "memdisk"),
                path(v, "shim-file"), path(v, "grub-netboot-file"),
                v.get("ip"), v.get("dhcpd"), v.get("tftpd"), v.get("radvd"), v.get("nft"), v.get("mount"),
                path(v, "dhcpd-leases"), path(v, "dhcpd-pid-file"),
                path(v, "ssh-host-key-dir"), path(v, "authorized-keys"),
                bool(v, "manage-network"), bool(v, "manage-firewall"), bool(v, "run-services"), path(v, "image-mount"));
    }

    private static boolean bool(Map<String, String> v, String key) {
        return KvValues.field(key, v.get(key), KvValues::bool);
    }

    /** An int setting: a value past the int range is refused, not wrapped around. */
    private static int whole(Map<String, String> v, String key) {
        return KvValues.field(key, v.get(key), KvValues::wholeNumber);
    }

    private static long num(Map<String, String> v, String key) {
        return KvValues.field(key, v.get(key), KvValues::longNumber);
    }

    private static Path path(Map<String, String> v, String key) {
        return KvValues.field(key, v.get(key), KvValues::path);
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

    /** GRUB's prefix directory in the tftpboot tree: grub.cfg and the per-MAC {@code grub.cfg-01-<mac>} files. */
    public Path grubDir() {
        return tftpRoot.resolve(io.headnode.agent.tftp.BootFiles.GRUB_DIR);
    }
}
