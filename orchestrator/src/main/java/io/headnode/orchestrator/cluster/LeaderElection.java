package io.headnode.orchestrator.cluster;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's part in the leader election ({@link LeaderLatch} under {@link ClusterStore#LEADER}). The leader is
 * the member with the lowest node; nodes made later sort after it, so a member leads exactly while the node it led
 * with exists ({@link #fence}). A latch that leads does not watch its own node: when that node goes without its
 * session (deleted by hand, or a latch reset racing a write) the latch still says it leads, the placement
 * transactions fail on the fence, and {@link #rejoin} puts the member back in line with a new node.
 */
final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    private final CuratorFramework zk;
    private final String id;
    private final Executor listenerExecutor;
    private final LeaderLatchListener listener;
    private volatile LeaderLatch latch;

    /** {@code onLeader} and {@code onNotLeader} run on {@code listenerExecutor}. */
    LeaderElection(CuratorFramework zk, String id, Executor listenerExecutor, Runnable onLeader, Runnable onNotLeader) {
        this.zk = Objects.requireNonNull(zk, "zk is null");
        this.id = Objects.requireNonNull(id, "id is null");
        this.listenerExecutor = Objects.requireNonNull(listenerExecutor, "listenerExecutor is null");
        Objects.requireNonNull(onLeader, "onLeader is null");
        Objects.requireNonNull(onNotLeader, "onNotLeader is null");
        this.listener = new LeaderLatchListener() {
            @Override
            public void isLeader() {
                onLeader.run();
            }

            @Override
            public void notLeader() {
                onNotLeader.run();
            }
        };
        this.latch = newLatch();
    }

    private LeaderLatch newLatch() {
        LeaderLatch l = new LeaderLatch(zk, ClusterStore.LEADER, id);
        l.addListener(listener, listenerExecutor);
        return l;
    }

    synchronized void start() throws Exception {
        latch.start();
    }

    boolean leading() {
        return latch.hasLeadership();
    }

    /** The fence for this member's placement writes while it leads; empty when it does not. */
    Optional<LeaderFence> fence(java.util.function.BooleanSupplier leading) {
        LeaderLatch l = latch;
        String node = l.getOurPath();
        return l.hasLeadership() && node != null ? Optional.of(new LeaderFence(node, leading)) : Optional.empty();
    }

    /** Leaves the election and joins it again at the end of the line (its old node is gone, or goes now). */
    synchronized void rejoin() throws Exception {
        LeaderLatch old = latch;
        latch = newLatch();
        closeQuietly(old);
        latch.start();
        log.warn("leader election: this host's node {} was gone while it led; joined again", old.getOurPath());
    }

    @Override
    public synchronized void close() {
        closeQuietly(latch);
    }

    private static void closeQuietly(LeaderLatch l) {
        try {
            l.close();
        } catch (IOException | IllegalStateException e) {
            log.debug("leader latch close: {}", e.toString());
        }
    }
}
