package io.headnode.orchestrator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.render.DomainRendererTest;
import io.headnode.orchestrator.spec.HeadnodePaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VlanLockTest {
    @TempDir
    Path tmp;

    @Test
    void oneHolderPerVlanAcrossProcesses() throws Exception {
        VlanLock lock = new VlanLock(new HeadnodePaths(DomainRendererTest.config(tmp)), Duration.ofMillis(300));
        Path file = tmp.resolve("state/locks/vlan100.lock");
        try (VlanLock.Held held = lock.acquire(new Vlan(100))) {
            // another process cannot get it while we hold it (Java's FileLock is an fcntl lock, as is lockf)
            assertThat(otherProcessLocks(file)).isFalse();
            assertThatThrownBy(() -> lock.acquire(new Vlan(100))).hasMessageContaining("VLAN 100 is locked by another headnode process");
            try (VlanLock.Held other = lock.acquire(new Vlan(101))) {
                assertThat(other).isNotNull();
            }
        }
        assertThat(otherProcessLocks(file)).isTrue();
        try (VlanLock.Held again = lock.acquire(new Vlan(100))) {
            assertThat(again).isNotNull();
        }
    }

    private static boolean otherProcessLocks(Path file) throws Exception {
        Process p = new ProcessBuilder(List.of("python3", "-c",
                "import fcntl, sys\nf = open(sys.argv[1], 'a')\nfcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)", file.toString()))
                .redirectErrorStream(true).start();
        return p.waitFor() == 0;
    }
}
