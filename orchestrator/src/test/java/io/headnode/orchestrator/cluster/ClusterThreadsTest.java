package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClusterThreadsTest {
    @Test
    void eachKindOfWorkHasItsOwnNamedDaemonThread() throws Exception {
        try (ClusterThreads threads = new ClusterThreads(new HostId("hv1"))) {
            assertThat(nameOf(threads.member())).isEqualTo("headnode-cluster-hv1 daemon");
            assertThat(nameOf(threads.leader())).isEqualTo("headnode-leader-hv1 daemon");
            assertThat(nameOf(threads.installs())).isEqualTo("headnode-installs-hv1 daemon");
            assertThat(nameOf(threads.images())).isEqualTo("headnode-images-hv1 daemon");
        }
    }

    @Test
    void closeStopsThemAll() throws Exception {
        ClusterThreads threads = new ClusterThreads(new HostId("hv1"));
        threads.close();
        for (ScheduledExecutorService s : List.of(threads.member(), threads.leader(), threads.installs(), threads.images())) {
            assertThat(s.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
        threads.close(); // idempotent
    }

    private static String nameOf(ScheduledExecutorService s) throws Exception {
        return s.submit(() -> Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : "")).get(5, TimeUnit.SECONDS);
    }
}
