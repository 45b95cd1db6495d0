package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Vlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** install --wait on a fake clock and a scripted status channel: no real time passes. */
class InstallWaitTest {
    static final Instant T0 = Instant.parse("2026-11-25T01:00:00Z");
    static final MacAddress A = MacAddress.parse("52:54:00:aa:00:01");
    static final MacAddress B = MacAddress.parse("52:54:00:aa:00:02");

    /** A clock that moves only when the test (or a read or pause) moves it. */
    static final class FakeClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static AgentStatus status(MachineStatus... machines) {
        return new AgentStatus(true, AgentStatus.Share.mounted(), new Vlan(100), List.of(machines), 0, Map.of(), T0);
    }

    static MachineStatus m(MacAddress mac, MachineState s, Instant since, String detail) {
        return new MachineStatus(mac, s, "10.0.0.1", since, detail);
    }

    final FakeClock clock = new FakeClock();
    final StringWriter out = new StringWriter();

    InstallWait waiter(Deque<Optional<AgentStatus>> script) {
        return new InstallWait(timeout -> {
            clock.now = clock.now.plusSeconds(1);   // a read takes a second
            return script.isEmpty() ? Optional.empty() : script.poll();
        }, clock, d -> clock.now = clock.now.plus(d), new ProgressLine(new PrintWriter(out), false));
    }

    @Test
    void waitsUntilEveryNodeFinishedThisRequestAndIgnoresAnOldInstalledState() throws Exception {
        Instant earlier = T0.minusSeconds(86400);
        Deque<Optional<AgentStatus>> script = new ArrayDeque<>(List.of(
                Optional.empty(),
                Optional.of(status(m(A, MachineState.INSTALLED, earlier, "done"), m(B, MachineState.KNOWN, null, ""))),
                Optional.of(status(m(A, MachineState.INSTALLING, T0.plusSeconds(5), "power cycled"), m(B, MachineState.REQUESTED, T0.plusSeconds(5), ""))),
                Optional.of(status(m(A, MachineState.INSTALLED, T0.plusSeconds(60), "callback accepted"), m(B, MachineState.INSTALLING, T0.plusSeconds(9), "pxe"))),
                Optional.of(status(m(A, MachineState.INSTALLED, T0.plusSeconds(60), "callback accepted"), m(B, MachineState.FAILED, T0.plusSeconds(90), "no callback")))));
        InstallWait.Result r = waiter(script).await(List.of(A, B), T0, Duration.ofMinutes(30));
        assertThat(r.timedOut()).isFalse();
        assertThat(r.allInstalled()).isFalse();
        assertThat(r.nodes().get(A)).map(MachineStatus::state).contains(MachineState.INSTALLED);
        assertThat(r.nodes().get(B)).map(MachineStatus::state).contains(MachineState.FAILED);
        assertThat(script).isEmpty();
        assertThat(out.toString()).isEqualTo("""
                [   1s] waiting for the agent's status
                [   4s] 52:54:00:aa:00:01  installed  done
                [   4s] 52:54:00:aa:00:02  known
                [   4s] 0 of 2 done: 1 known, 1 installed
                [   7s] 52:54:00:aa:00:01  installing  power cycled
                [   7s] 52:54:00:aa:00:02  requested
                [   7s] 0 of 2 done: 1 requested, 1 installing
                [  10s] 52:54:00:aa:00:01  installed  callback accepted
                [  10s] 52:54:00:aa:00:02  installing  pxe
                [  10s] 1 of 2 done: 1 installing, 1 installed
                [  13s] 52:54:00:aa:00:02  failed  no callback
                [  13s] 2 of 2 done: 1 installed, 1 failed
                """);
    }

    @Test
    void aStateChangedAfterTheRequestCountsEvenIfTheActivePhaseWasMissed() throws Exception {
        Deque<Optional<AgentStatus>> script = new ArrayDeque<>(List.of(Optional.of(status(m(A, MachineState.INSTALLED, T0.plusSeconds(1), "")))));
        InstallWait.Result r = waiter(script).await(List.of(A), T0, Duration.ofMinutes(1));
        assertThat(r.allInstalled()).isTrue();
    }

    @Test
    void anActiveNodeIsDoneAndInstalled() throws Exception {
        Deque<Optional<AgentStatus>> script = new ArrayDeque<>(List.of(Optional.of(status(
                m(A, MachineState.ACTIVE, T0.plusSeconds(100), "image debian-12 booted and reported")))));
        InstallWait.Result r = waiter(script).await(List.of(A), T0, Duration.ofMinutes(1));
        assertThat(r.allInstalled()).isTrue();
        assertThat(out.toString()).contains("52:54:00:aa:00:01  active  image debian-12 booted and reported", "1 of 1 done: 1 active");
    }

    @Test
    void givesUpAtTheTimeout() throws Exception {
        InstallWait.Result r = waiter(new ArrayDeque<>()).await(List.of(A), T0, Duration.ofSeconds(30));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.allInstalled()).isFalse();
        assertThat(r.nodes().get(A)).isEmpty();
        assertThat(clock.now).isBetween(T0.plusSeconds(30), T0.plusSeconds(33));
        assertThat(out.toString()).isEqualTo("[   1s] waiting for the agent's status\n");
    }
}
