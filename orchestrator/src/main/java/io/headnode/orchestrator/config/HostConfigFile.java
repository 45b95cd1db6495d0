package io.headnode.orchestrator.config;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Reads the orchestrator's config file with the common {@code key = value} parser ({@link KvFile}). Unknown keys
 * are errors (as at any start-up), naming file, line and key; so is a bad value, at its own line. Keys not given
 * keep {@link HostConfig#defaults()}.
 */
public final class HostConfigFile {
    /** Used when --config is not given and this file exists. */
    public static final Path DEFAULT = Path.of("/etc/headnode/orchestrator.conf");
    public static final Set<String> KEYS = Set.of("state-dir", "share-root", "apparmor-dir", "apparmor-parser", "connect",
            "bridge-prefix", "public-bridge", "network-command-prefix", "qemu-user", "domain-type", "default-image",
            "default-memory-mib", "default-vcpus", "metrics-address", "cluster", "cluster-secret-file", "cluster-host",
            "headnode-limit", "cluster-session-timeout-ms", "image-dir");

    private HostConfigFile() {
    }

    /** Loads {@code file}; with {@code required=false} a missing file means all defaults. */
    public static HostConfig load(Path file, boolean required) throws ConfigException {
        try {
            return parse(KvFile.read(file));
        } catch (NoSuchFileException e) {
            if (required) {
                throw new ConfigException(file + ": no such file");
            }
            return HostConfig.defaults();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        } catch (KvException e) {
            throw new ConfigException(e);
        }
    }

    public static HostConfig parse(String fileName, String text) throws ConfigException {
        try {
            return parse(KvFile.parse(fileName, text.getBytes(StandardCharsets.UTF_8)));
        } catch (KvException e) {
            throw new ConfigException(e);
        }
    }

    private static HostConfig parse(KvFile f) throws KvException {
        f.requireKnown(KEYS);
        HostConfig d = HostConfig.defaults();
        Path stateDir = f.get("state-dir", KvValues::path, d.stateDir());
        Path shareRoot = f.get("share-root", KvValues::path, d.shareRoot());
        Path apparmorDir = f.get("apparmor-dir", KvValues::path, d.apparmorDir());
        Path apparmorParser = f.get("apparmor-parser", KvValues::path, d.apparmorParser());
        String connect = f.text("connect").orElse(d.connect());
        String bridgePrefix = f.text("bridge-prefix").orElse(d.bridgePrefix());
        String publicBridge = f.text("public-bridge").orElse(d.publicBridge());
        List<String> prefix = f.get("network-command-prefix", KvValues::words, d.networkCommandPrefix());
        String qemuUser = f.text("qemu-user").orElse(d.qemuUser());
        String domainType = f.text("domain-type").orElse(d.domainType());
        Path image = f.get("default-image", KvValues::path, d.defaultImage());
        int memory = f.get("default-memory-mib", KvValues::wholeNumber, d.defaultMemoryMib());
        int vcpus = f.get("default-vcpus", KvValues::wholeNumber, d.defaultVcpus());
        String metrics = f.text("metrics-address").orElse(d.metricsAddress());
        Path imageDir = f.get("image-dir", KvValues::path, HostConfig.defaultImageDir(shareRoot));
        ClusterConfig dc = d.cluster();
        String cluster = f.text("cluster").orElse(dc.connect());
        Path secret = f.get("cluster-secret-file", KvValues::path, dc.secretFile());
        String host = f.text("cluster-host").orElse(dc.host());
        int limit = f.get("headnode-limit", KvValues::wholeNumber, dc.headnodeLimit());
        int session = f.get("cluster-session-timeout-ms", KvValues::wholeNumber, dc.sessionTimeoutMs());
        return f.build(() -> new HostConfig(stateDir, shareRoot, apparmorDir, apparmorParser, connect, bridgePrefix, publicBridge,
                prefix, qemuUser, domainType, image, memory, vcpus, metrics,
                new ClusterConfig(cluster, secret, host, limit, session), imageDir));
    }

    /** A config file that cannot be used; the message is one line naming file, line and key. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }

        public ConfigException(KvException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
