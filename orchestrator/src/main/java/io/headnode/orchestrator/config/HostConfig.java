package io.headnode.orchestrator.config;

import io.headnode.common.kv.FieldException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The host-side settings of the orchestrator. Every host path comes from here, so tests root them in a temp dir.
 *
 * @param stateDir          desired specs, overlays, locks, console logs, status sockets (/var/lib/headnode)
 * @param shareRoot         parent of the per-VLAN shares (/var/lib/headnode-config)
 * @param apparmorDir       AppArmor's configuration root (/etc/apparmor.d)
 * @param apparmorParser    apparmor_parser, used in skip-kernel-load mode to validate the rule
 * @param connect           libvirt URI (qemu:///system)
 * @param bridgePrefix      VLAN bridge name = prefix + VLAN id (br-vlan)
 * @param publicBridge      default public bridge for eth1 (br0)
 * @param networkCommandPrefix words put before every network (ip) command, e.g. [ip, netns, exec, NS]
 * @param qemuUser          the user QEMU runs as (libvirt-qemu); the share must be readable by it
 * @param domainType        auto (kvm only when /dev/kvm is proven to work), kvm or qemu
 * @param defaultImage      guest image used when create gives no --image
 * @param defaultMemoryMib  memory when create gives no --memory
 * @param defaultVcpus      vcpus when create gives no --vcpus
 * @param metricsAddress    where {@code reconcile --every} serves /metrics: HOST:PORT or none (127.0.0.1:9848)
 * @param cluster           cluster mode (ZooKeeper); {@link ClusterConfig#NONE} is the embedded single host
 * @param imageDir          the image catalog, one for every head node, exported read-only to each (/var/lib/headnode-images)
 */
public record HostConfig(Path stateDir, Path shareRoot, Path apparmorDir, Path apparmorParser, String connect,
                         String bridgePrefix, String publicBridge, List<String> networkCommandPrefix, String qemuUser,
                         String domainType, Path defaultImage, int defaultMemoryMib, int defaultVcpus, String metricsAddress,
                         ClusterConfig cluster, Path imageDir) {
    private static final Pattern IFNAME_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,10}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,14}");

    public HostConfig {
        Objects.requireNonNull(stateDir, "state-dir is null");
        Objects.requireNonNull(shareRoot, "share-root is null");
        Objects.requireNonNull(apparmorDir, "apparmor-dir is null");
        Objects.requireNonNull(apparmorParser, "apparmor-parser is null");
        Objects.requireNonNull(connect, "connect is null");
        Objects.requireNonNull(defaultImage, "default-image is null");
        absolute("state-dir", stateDir);
        absolute("share-root", shareRoot);
        absolute("apparmor-dir", apparmorDir);
        if (bridgePrefix == null || !IFNAME_PREFIX.matcher(bridgePrefix).matches()) {
            throw new FieldException("bridge-prefix", "'" + bridgePrefix + "' must be 1-11 of [A-Za-z0-9_-], starting with a letter");
        }
        if (publicBridge == null || !IFNAME.matcher(publicBridge).matches()) {
            throw new FieldException("public-bridge", "'" + publicBridge + "' is not an interface name");
        }
        networkCommandPrefix = List.copyOf(networkCommandPrefix);
        if (qemuUser == null || qemuUser.isBlank()) {
            throw new FieldException("qemu-user", "is empty");
        }
        if (!List.of("auto", "kvm", "qemu").contains(domainType)) {
            throw new FieldException("domain-type", "'" + domainType + "' must be auto, kvm or qemu");
        }
        if (defaultMemoryMib < 64 || defaultMemoryMib > 1 << 20) {
            throw new FieldException("default-memory-mib", defaultMemoryMib + " is outside 64..1048576");
        }
        if (defaultVcpus < 1 || defaultVcpus > 64) {
            throw new FieldException("default-vcpus", defaultVcpus + " is outside 1..64");
        }
        Objects.requireNonNull(metricsAddress, "metrics-address is null");
        MetricsAddress.parse(metricsAddress);
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(imageDir, "image-dir is null");
        absolute("image-dir", imageDir);
    }

    /** With the image catalog beside the share root ({@code <share-root>/../headnode-images}). */
    public HostConfig(Path stateDir, Path shareRoot, Path apparmorDir, Path apparmorParser, String connect,
                      String bridgePrefix, String publicBridge, List<String> networkCommandPrefix, String qemuUser,
                      String domainType, Path defaultImage, int defaultMemoryMib, int defaultVcpus, String metricsAddress,
                      ClusterConfig cluster) {
        this(stateDir, shareRoot, apparmorDir, apparmorParser, connect, bridgePrefix, publicBridge, networkCommandPrefix,
                qemuUser, domainType, defaultImage, defaultMemoryMib, defaultVcpus, metricsAddress, cluster, defaultImageDir(shareRoot));
    }

    /** {@code <share-root>/../headnode-images}: /var/lib/headnode-images for the default share root. */
    public static Path defaultImageDir(Path shareRoot) {
        Objects.requireNonNull(shareRoot, "share-root is null");
        return shareRoot.toAbsolutePath().resolveSibling("headnode-images");
    }

    /** Without cluster settings: the embedded single host. */
    public HostConfig(Path stateDir, Path shareRoot, Path apparmorDir, Path apparmorParser, String connect,
                      String bridgePrefix, String publicBridge, List<String> networkCommandPrefix, String qemuUser,
                      String domainType, Path defaultImage, int defaultMemoryMib, int defaultVcpus, String metricsAddress) {
        this(stateDir, shareRoot, apparmorDir, apparmorParser, connect, bridgePrefix, publicBridge, networkCommandPrefix,
                qemuUser, domainType, defaultImage, defaultMemoryMib, defaultVcpus, metricsAddress, ClusterConfig.NONE);
    }

    /** Without a metrics address: the default one. */
    public HostConfig(Path stateDir, Path shareRoot, Path apparmorDir, Path apparmorParser, String connect,
                      String bridgePrefix, String publicBridge, List<String> networkCommandPrefix, String qemuUser,
                      String domainType, Path defaultImage, int defaultMemoryMib, int defaultVcpus) {
        this(stateDir, shareRoot, apparmorDir, apparmorParser, connect, bridgePrefix, publicBridge, networkCommandPrefix,
                qemuUser, domainType, defaultImage, defaultMemoryMib, defaultVcpus, MetricsAddress.DEFAULT);
    }

    private static void absolute(String key, Path p) {
        if (!p.isAbsolute()) {
            throw new FieldException(key, "'" + p + "' must be an absolute path");
        }
    }

    public static HostConfig defaults() {
        return new HostConfig(Path.of("/var/lib/headnode"), Path.of("/var/lib/headnode-config"), Path.of("/etc/apparmor.d"),
                Path.of("/usr/sbin/apparmor_parser"), "qemu:///system", "br-vlan", "br0", List.of(), "libvirt-qemu",
                "auto", Path.of("/var/lib/headnode/images/headnode.qcow2"), 1024, 1);
    }

    public HostConfig withConnect(String uri) {
        return new HostConfig(stateDir, shareRoot, apparmorDir, apparmorParser, uri, bridgePrefix, publicBridge,
                networkCommandPrefix, qemuUser, domainType, defaultImage, defaultMemoryMib, defaultVcpus, metricsAddress, cluster, imageDir);
    }

    public HostConfig withCluster(ClusterConfig c) {
        return new HostConfig(stateDir, shareRoot, apparmorDir, apparmorParser, connect, bridgePrefix, publicBridge,
                networkCommandPrefix, qemuUser, domainType, defaultImage, defaultMemoryMib, defaultVcpus, metricsAddress, c, imageDir);
    }
}
