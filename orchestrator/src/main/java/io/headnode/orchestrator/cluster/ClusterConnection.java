package io.headnode.orchestrator.cluster;

import io.headnode.orchestrator.config.ClusterConfig;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * Opens the Curator client of one process: chroot {@value #NAMESPACE}, digest-authenticated as the fleet's user, and
 * every node it creates carries one ACL: all rights for that digest and nothing for anyone else, so no node (above all
 * credentials) is world-readable.
 */
public final class ClusterConnection {
    public static final String NAMESPACE = "headnode";

    private ClusterConnection() {
    }

    /** The ACL every node gets: the fleet user's digest, all permissions; nobody else anything. */
    public static List<ACL> acl(ClusterSecret secret) {
        try {
            String digest = DigestAuthenticationProvider.generateDigest(ClusterSecret.USER + ":" + secret.secret());
            // not List.of: ZooKeeper checks acl.contains(null), which List.of rejects
            return java.util.Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("digest", digest)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 in this JVM", e);
        }
    }

    /** A started client; throws if no member answers within the session timeout. */
    public static CuratorFramework open(ClusterConfig config, ClusterSecret secret) throws InterruptedException {
        String connect = config.zookeeper().orElseThrow(() -> new IllegalArgumentException("cluster mode is off (no cluster =)"));
        List<ACL> acl = acl(secret);
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .sessionTimeoutMs(config.sessionTimeoutMs())
                .connectionTimeoutMs(Math.min(config.sessionTimeoutMs(), 5_000))
                .retryPolicy(new ExponentialBackoffRetry(100, 29, 1_000))
                .namespace(NAMESPACE)
                .authorization("digest", secret.auth())
                .aclProvider(new ACLProvider() {
                    @Override
                    public List<ACL> getDefaultAcl() {
                        return acl;
                    }

                    @Override
                    public List<ACL> getAclForPath(String path) {
                        return acl;
                    }
                })
                .build();
        client.start();
        if (!client.blockUntilConnected(config.sessionTimeoutMs(), TimeUnit.MILLISECONDS)) {
            client.close();
            throw new IllegalStateException("no ZooKeeper member of " + connect + " answered within " + config.sessionTimeoutMs() + " ms");
        }
        return client;
    }
}
