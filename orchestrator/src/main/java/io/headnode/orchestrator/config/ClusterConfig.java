package io.headnode.orchestrator.config;

import io.headnode.common.kv.FieldException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cluster mode's settings (issue 11). With no {@code cluster} connect string the orchestrator is the embedded
 * single host it always was; with one, the desired state lives in ZooKeeper.
 *
 * @param connect       ZooKeeper connect string {@code host:port,...}, or "" for the embedded default
 * @param secretFile    the fleet's digest secret (one line, 0600), the same on every host and CLI
 * @param host          this host's name in the fleet, or "" for the machine's host name
 * @param headnodeLimit the most head nodes this host runs
 * @param sessionTimeoutMs the ZooKeeper session timeout; a host that loses its session fences its head nodes
 */
public record ClusterConfig(String connect, Path secretFile, String host, int headnodeLimit, int sessionTimeoutMs) {
    private static final Pattern CONNECT = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+(,[A-Za-z0-9.:\\[\\]-]+)*");
    public static final ClusterConfig NONE = new ClusterConfig("", Path.of("/etc/headnode/cluster.secret"), "", 100, 10_000);

    public ClusterConfig {
        Objects.requireNonNull(connect, "cluster is null");
        Objects.requireNonNull(secretFile, "cluster-secret-file is null");
        Objects.requireNonNull(host, "cluster-host is null");
        if (!connect.isEmpty() && !CONNECT.matcher(connect).matches()) {
            throw new FieldException("cluster", "'" + connect + "' is not a ZooKeeper connect string (host:port,...)");
        }
        if (!secretFile.isAbsolute()) {
            throw new FieldException("cluster-secret-file", "'" + secretFile + "' must be an absolute path");
        }
        if (!host.isEmpty()) {
            try {
                new io.headnode.orchestrator.cluster.HostId(host);
            } catch (IllegalArgumentException e) {
                throw new FieldException("cluster-host", e.getMessage());
            }
        }
        if (headnodeLimit < 0 || headnodeLimit > 4094) {
            throw new FieldException("headnode-limit", headnodeLimit + " is outside 0..4094");
        }
        if (sessionTimeoutMs < 1000 || sessionTimeoutMs > 60_000) {
            throw new FieldException("cluster-session-timeout-ms", sessionTimeoutMs + " is outside 1000..60000");
        }
    }

    /** The connect string, when cluster mode is on. */
    public Optional<String> zookeeper() {
        return connect.isEmpty() ? Optional.empty() : Optional.of(connect);
    }

    public ClusterConfig withConnect(String c) {
        return new ClusterConfig(c, secretFile, host, headnodeLimit, sessionTimeoutMs);
    }
}
