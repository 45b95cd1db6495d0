package io.headnode.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperEnsembleIT {
    @TempDir
    Path dir;

    @Test
    void threeMembersElectALeaderSurviveItsDeathAndStopServingWithoutAQuorum() {
        try (ZooKeeperEnsemble zk = ZooKeeperEnsemble.start(dir, 3)) {
            assertThat(zk.connectString()).matches("127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+");
            List<String> modes = IntStream.range(0, 3).mapToObj(i -> zk.mode(i).orElse("none")).sorted().toList();
            assertThat(modes).containsExactly("follower", "follower", "leader");

            int oldLeader = zk.killLeader();
            assertThat(zk.isRunning(oldLeader)).isFalse();
            int newLeader = zk.leader();
            assertThat(newLeader).isNotEqualTo(oldLeader);

            zk.restart(oldLeader);
            assertThat(zk.mode(oldLeader)).contains("follower");

            List<Integer> killed = zk.killQuorum();
            assertThat(killed).hasSize(2);
            int survivor = IntStream.range(0, 3).filter(i -> !killed.contains(i)).findFirst().orElseThrow();
            assertThat(zk.isRunning(survivor)).isTrue();
            // a lone member of three neither leads nor follows: it does not serve
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> zk.mode(survivor).isEmpty());

            zk.restartKilled();
            assertThat(IntStream.range(0, 3).allMatch(i -> zk.mode(i).isPresent())).isTrue();
        }
    }
}
