package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** Completed installs: which to record and which requests to rewrite (pure), and the round trip through ZooKeeper. */
class InstallCompletionsTest {
    static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
    static final MacAddress A = MacAddress.parse("52:54:00:aa:00:01");
    static final MacAddress B = MacAddress.parse("52:54:00:aa:00:02");
    static final MacAddress C = MacAddress.parse("52:54:00:aa:00:03");
    static final String REQ = "requests/r1.install";

    static AgentStatus status(MachineStatus... m) {
        return new AgentStatus(true, AgentStatus.Share.mounted(), new Vlan(100), List.of(m), 0, Map.of(), T0.plusSeconds(600));
    }

    static MachineStatus m(MacAddress mac, MachineState s, Instant since) {
        return new MachineStatus(mac, s, null, since, "");
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anInstalledMacIsRecordedAndClearedFromItsRequest() {
        var c = InstallCompletions.of(status(m(A, MachineState.INSTALLED, T0.plusSeconds(60)), m(B, MachineState.INSTALLING, T0.plusSeconds(10))),
                Map.of(REQ, b(A + "\n" + B + "\n")), Map.of(REQ, T0), Map.of());
        assertThat(c.record()).containsExactly(Map.entry(A, T0.plusSeconds(60)));
        assertThat(new String(c.rewrite().get(REQ), StandardCharsets.UTF_8)).isEqualTo(B + "\n");
        assertThat(c.remove()).isEmpty();
    }

    @Test
    void anInstallFinishedBeforeTheRequestWasWrittenIsAReinstallNotADoneOne() {
        var c = InstallCompletions.of(status(m(A, MachineState.INSTALLED, T0.minusSeconds(5))),
                Map.of(REQ, b(A + "\n")), Map.of(REQ, T0), Map.of());
        assertThat(c.record()).containsOnlyKeys(A); // still a fact worth recording
        assertThat(c.rewrite()).isEmpty();
        assertThat(c.remove()).isEmpty();
    }

    @Test
    void aRequestWithEverythingDoneIsRemovedAndAnAllRequestBecomesTheMacsLeft() {
        var done = InstallCompletions.of(status(m(A, MachineState.INSTALLED, T0.plusSeconds(60))),
                Map.of(REQ, b(A + "\n")), Map.of(REQ, T0), Map.of());
        assertThat(done.remove()).containsExactly(REQ);
        var all = InstallCompletions.of(status(m(A, MachineState.INSTALLED, T0.plusSeconds(60)), m(C, MachineState.INSTALLED, T0.plusSeconds(61))),
                Map.of(REQ, b("all\n"), "machines.txt", b(A + " 10.0.0.11\n" + B + " 10.0.0.12\n" + C + " 10.0.0.13\n")), Map.of(REQ, T0), Map.of());
        assertThat(new String(all.rewrite().get(REQ), StandardCharsets.UTF_8)).isEqualTo(B + "\n");
        // an 'all' request before machines.txt exists is left alone
        assertThat(InstallCompletions.of(status(), Map.of(REQ, b("all\n")), Map.of(REQ, T0), Map.of()).isEmpty()).isTrue();
    }

    @Test
    void aCompletionRecordedByThePreviousHostCountsAndIsNotWrittenAgain() {
        // the new host's fresh agent knows nothing of A; the completion hv1 recorded still clears it
        var c = InstallCompletions.of(status(m(A, MachineState.REQUESTED, T0.plusSeconds(90))),
                Map.of(REQ, b(A + "\n" + B + "\n")), Map.of(REQ, T0), Map.of(A, T0.plusSeconds(60)));
        assertThat(c.record()).isEmpty();
        assertThat(new String(c.rewrite().get(REQ), StandardCharsets.UTF_8)).isEqualTo(B + "\n");
        assertThat(InstallCompletions.of(status(m(A, MachineState.INSTALLED, T0.plusSeconds(60))),
                Map.of(), Map.of(), Map.of(A, T0.plusSeconds(60))).isEmpty()).isTrue();
    }

    @Test
    void throughZooKeeperAMovedHeadNodeNeitherLosesACompletionNorReinstallsAFinishedNode() throws Exception {
        try (TestingServer server = new TestingServer(true);
             CuratorFramework zk = ClusterConnection.open(ClusterStoreTest.config(server.getConnectString()), ClusterStoreTest.SECRET)) {
            ClusterStore store = new ClusterStore(zk);
            store.ensureLayout();
            Vlan v = new Vlan(100);
            store.putShareFile(v, REQ, b(A + "\n" + B + "\n"));
            Instant written = store.requestsWritten(v).get(REQ);
            assertThat(written).isNotNull();
            // hv1 runs the head node: A finished after the request was written
            var first = InstallCompletions.of(status(m(A, MachineState.INSTALLED, written.plusSeconds(30))),
                    store.shareFiles(v), store.requestsWritten(v), store.installs(v));
            store.apply(v, first, new HostId("hv1"));
            assertThat(store.installs(v)).containsExactly(Map.entry(A, written.plusSeconds(30)));
            assertThat(new String(store.shareFiles(v).get(REQ), StandardCharsets.UTF_8)).isEqualTo(B + "\n");
            // the VLAN moves to hv2: its new head node gets the request without A; B finishes there
            var second = InstallCompletions.of(status(m(B, MachineState.INSTALLED, Instant.now().plusSeconds(30))),
                    store.shareFiles(v), store.requestsWritten(v), store.installs(v));
            store.apply(v, second, new HostId("hv2"));
            assertThat(store.installs(v)).containsOnlyKeys(A, B);
            assertThat(store.shareFiles(v)).doesNotContainKey(REQ);
            store.removeSpec(v);
            assertThat(store.installs(v)).isEmpty();
        }
    }
}
