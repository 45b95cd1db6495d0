package io.headnode.orchestrator.cluster;

import io.headnode.orchestrator.config.ClusterConfig;
import io.headnode.testing.ZooKeeperEnsemble;
import java.nio.file.Path;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/** What the cluster tests share: the admin's client on the real ensemble, an in-JVM store, a host's config, stopping it all. */
final class ClusterFixtures {
    private ClusterFixtures() {
    }

    /** The admin's (CLI's) authenticated client: no host name, limit 10. */
    static CuratorFramework admin(ZooKeeperEnsemble zk, ClusterSecret secret, int sessionMs) throws InterruptedException {
        return ClusterConnection.open(new ClusterConfig(zk.connectString(), Path.of("/etc/headnode/cluster.secret"), "", 10, sessionMs), secret);
    }

    /** Curator's in-JVM server with an authenticated client and a store whose layout exists (unit tests). */
    record InJvmStore(org.apache.curator.test.TestingServer server, CuratorFramework client, ClusterStore store) implements AutoCloseable {
        static InJvmStore start(ClusterSecret secret) throws Exception {
            org.apache.curator.test.TestingServer server = new org.apache.curator.test.TestingServer(true);
            CuratorFramework client = ClusterConnection.open(new ClusterConfig(server.getConnectString(), Path.of("/etc/headnode/cluster.secret"), "", 100, 4_000), secret);
            ClusterStore store = new ClusterStore(client);
            store.ensureLayout();
            return new InJvmStore(server, client, store);
        }

        @Override
        public void close() throws java.io.IOException {
            client.close();
            server.close();
        }
    }

    /** A simulated host's configuration under {@code dir/name} (state with specs/, share root; libvirt faked by the caller). */
    static io.headnode.orchestrator.config.HostConfig hostConfig(Path dir, String name) throws java.io.IOException {
        Path root = dir.resolve(name);
        java.nio.file.Files.createDirectories(root.resolve("state/specs"));
        java.nio.file.Files.createDirectories(root.resolve("share"));
        return new io.headnode.orchestrator.config.HostConfig(root.resolve("state"), root.resolve("share"), root.resolve("apparmor"),
                Path.of("/usr/sbin/apparmor_parser"), "test:///default", "br-vlan", "br0", List.of(),
                System.getProperty("user.name"), "qemu", root.resolve("img.qcow2"), 256, 1);
    }

    /** Stops each member (one already stopped is skipped), then the admin client and the ensemble (each may be null). */
    static void stopAll(List<? extends Runnable> stops, CuratorFramework admin, ZooKeeperEnsemble zk) {
        for (Runnable stop : stops) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                // already stopped
            }
        }
        if (admin != null) {
            admin.close();
        }
        if (zk != null) {
            zk.close();
        }
    }
}
