package io.headnode.orchestrator.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.headnode.orchestrator.cluster.ClusterConnection;
import io.headnode.orchestrator.cluster.ClusterSecret;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.config.ClusterConfig;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.config.HostConfigFile;
import io.headnode.orchestrator.inject.HostModule;
import io.headnode.orchestrator.inject.ReconcileModule;
import io.headnode.common.libvirt.Hypervisor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The root {@code headnode} command: global options and the one list of subcommands ({@link Main#SUBCOMMANDS}).
 * The injector is built once, on first use, from --config and --connect.
 */
@Command(name = "headnode", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
        description = "Creates, reconciles and deletes per-VLAN head nodes on libvirt.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:failed", "2:bad usage"})
public final class HeadnodeCommand {
    @Option(names = "--connect", paramLabel = "URI", description = "libvirt URI (default: the config's connect, qemu:///system)")
    String connect;

    @Option(names = "--config", paramLabel = "FILE", description = "orchestrator config (default: " + "/etc/headnode/orchestrator.conf if it exists)")
    Path config;

    @Option(names = "--cluster", paramLabel = "HOST:PORT,...", description = "ZooKeeper ensemble: cluster mode (default: the config's cluster; none = this host alone)")
    String cluster;

    private final Function<HostConfig, List<Module>> modules;
    private final HostConfig fixed;
    private Injector injector;
    private CuratorFramework zk;

    public HeadnodeCommand() {
        this(null, c -> List.of(new HostModule(c), new ReconcileModule()));
    }

    /** A root with a fixed configuration (instead of --config) and its own module list: the composition root for embedders. */
    public HeadnodeCommand(HostConfig fixed, Function<HostConfig, List<Module>> modules) {
        this.fixed = fixed;
        this.modules = modules;
    }

    public synchronized HostConfig hostConfig() throws HostConfigFile.ConfigException {
        HostConfig c = fixed != null ? fixed
                : config != null ? HostConfigFile.load(config, true) : HostConfigFile.load(HostConfigFile.DEFAULT, false);
        c = cluster != null ? c.withCluster(c.cluster().withConnect(cluster)) : c;
        return connect != null ? c.withConnect(connect) : c;
    }

    /** The process's injector (built once). */
    public synchronized Injector injector() throws HostConfigFile.ConfigException {
        if (injector == null) {
            injector = Guice.createInjector(Stage.PRODUCTION, new ArrayList<>(modules.apply(hostConfig())));
        }
        return injector;
    }

    public <T> T get(Class<T> type) throws HostConfigFile.ConfigException {
        return injector().getInstance(type);
    }

    /**
     * In cluster mode ({@code cluster =} or --cluster) the fleet's store, connected once and authenticated with the
     * fleet's secret; empty on the embedded single host.
     */
    public synchronized Optional<ClusterStore> cluster() throws Exception {
        ClusterConfig c = hostConfig().cluster();
        if (c.zookeeper().isEmpty()) {
            return Optional.empty();
        }
        if (zk == null) {
            ClusterSecret secret;
            try {
                secret = ClusterSecret.read(c.secretFile());
            } catch (java.io.IOException e) {
                throw new UsageException("cluster mode needs the fleet's secret: " + e.getMessage());
            }
            zk = ClusterConnection.open(c, secret);
        }
        ClusterStore store = new ClusterStore(zk);
        store.ensureLayout();
        return Optional.of(store);
    }

    /** Closes the libvirt connection and the ZooKeeper session, if they were opened. */
    public synchronized void close() {
        if (injector != null) {
            injector.getInstance(Hypervisor.class).close();
        }
        if (zk != null) {
            zk.close();
        }
    }
}
