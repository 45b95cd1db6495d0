package io.headnode.agent.install;

import static io.headnode.agent.install.InstallFixtures.A;
import static io.headnode.agent.install.InstallFixtures.ADDR_A;
import static io.headnode.agent.install.InstallFixtures.ADDR_B;
import static io.headnode.agent.install.InstallFixtures.B;
import static io.headnode.agent.install.InstallFixtures.STRANGER;
import static io.headnode.agent.install.InstallFixtures.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.agent.install.InstallEffect.Notice;
import io.headnode.agent.install.InstallEffect.PowerCycle;
import io.headnode.agent.install.InstallMachine.Callback;
import io.headnode.agent.install.InstallMachine.Kickstart;
import io.headnode.agent.install.InstallMachine.Refusal;
import io.headnode.agent.install.InstallMachine.Transition;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.AgentStatus;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure install state machine: explicit times (a fake clock), explicit tokens, no disk. */
class InstallMachineTest {
    static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");
    final InstallMachine machine = new InstallMachine(InstallFixtures.tokens());
    final InstallSite site = InstallFixtures.site();

    InstallBook requested(MacAddress... macs) {
        return machine.request(InstallBook.EMPTY, site, req("r1", macs), T0).book();
    }

    static InstallMachine.Kickstart ks(Transition<Kickstart> t) {
        return t.decision();
    }

    @Test
    void aRequestMakesEachListedTargetRequestedWithItsOwnTokenAndAsksForAPowerCycle() {
        Transition<InstallMachine.RequestOutcome> t = machine.request(InstallBook.EMPTY, site, req("r1", A, STRANGER, B), T0);
        assertThat(t.decision().ran()).isTrue();
        assertThat(t.decision().targets()).containsExactly(A, B);
        NodeInstall a = t.book().node(A.value());
        assertThat(a.state()).isEqualTo(InstallState.REQUESTED);
        assertThat(a.requestId()).isEqualTo("r1");
        assertThat(a.powerPending()).isTrue();
        assertThat(a.requestedAt()).isEqualTo(T0);
        assertThat(a.token()).isNotEqualTo(t.book().node(B.value()).token());
        assertThat(t.book().ran("r1")).isTrue();
        assertThat(t.effects()).filteredOn(e -> e instanceof PowerCycle).extracting(e -> ((PowerCycle) e).machine().mac()).containsExactly(A, B);
        assertThat(t.effects()).filteredOn(e -> e instanceof Notice).extracting(e -> ((Notice) e).message())
                .anyMatch(m -> m.contains(STRANGER + " is not in machines.txt; skipped"));
        assertThat(InstallBook.EMPTY.nodes()).isEmpty();   // the input is a value: untouched
    }

    @Test
    void eachRequestIdRunsOnce() {
        InstallBook b = requested(A);
        Transition<InstallMachine.RequestOutcome> again = machine.request(b, site, req("r1", A, B), T0.plusSeconds(5));
        assertThat(again.decision().ran()).isFalse();
        assertThat(again.book()).isSameAs(b);
        assertThat(again.effects()).isEmpty();
    }

    @Test
    void allTargetsEveryListedMachine() {
        Transition<InstallMachine.RequestOutcome> t = machine.request(InstallBook.EMPTY, site, new InstallRequest("all-1", true, List.of()), T0);
        assertThat(t.decision().targets()).containsExactly(A, B);
        assertThat(t.book().nodes()).containsOnlyKeys(A.value(), B.value());
    }

    @Test
    void theKickstartIsServedOnlyToTheNodesOwnAddressWhileItsInstallIsActive() {
        InstallBook b = requested(A);
        assertThat(ks(machine.kickstart(b, site, A, ADDR_B, T0))).isEqualTo(new Kickstart.Refused(Refusal.NOT_THE_NODES_ADDRESS));
        assertThat(ks(machine.kickstart(b, site, STRANGER, ADDR_A, T0))).isEqualTo(new Kickstart.Refused(Refusal.NOT_THE_NODES_ADDRESS));
        assertThat(ks(machine.kickstart(b, site, B, ADDR_B, T0))).isEqualTo(new Kickstart.Refused(Refusal.NO_INSTALL_IN_PROGRESS));
        Transition<Kickstart> served = machine.kickstart(b, site, A, ADDR_A, T0.plusSeconds(60));
        Kickstart.Serve serve = (Kickstart.Serve) served.decision();
        assertThat(serve.attempt()).isEqualTo(1);
        assertThat(serve.address()).isEqualTo(ADDR_A);
        assertThat(serve.node().token()).isEqualTo(b.node(A.value()).token());
        assertThat(served.book().node(A.value()).state()).isEqualTo(InstallState.INSTALLING);
        assertThat(served.book().node(A.value()).detail()).isEqualTo("installer booted (attempt 1)");
        assertThat(served.book().node(A.value()).changedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void theAttemptLimitEndsAnInstallThatKeepsRebooting() {
        InstallBook b = requested(A);
        b = machine.kickstart(b, site, A, ADDR_A, T0).book();
        b = machine.kickstart(b, site, A, ADDR_A, T0).book();
        assertThat(b.node(A.value()).active()).isTrue();
        Transition<Kickstart> third = machine.kickstart(b, site, A, ADDR_A, T0);
        assertThat(third.decision()).isEqualTo(new Kickstart.Refused(Refusal.ATTEMPTS_USED_UP));
        assertThat(third.book().node(A.value()).state()).isEqualTo(InstallState.FAILED);
        assertThat(third.book().node(A.value()).token()).isNull();
        assertThat(ks(machine.kickstart(third.book(), site, A, ADDR_A, T0))).isEqualTo(new Kickstart.Refused(Refusal.NO_INSTALL_IN_PROGRESS));
    }

    @Test
    void theCallbackIsAcceptedOnceFromTheNodesAddressWithItsToken() {
        InstallBook b = requested(A, B);
        String tokenA = b.node(A.value()).token();
        String tokenB = b.node(B.value()).token();
        assertThat(machine.callback(b, site, A, ADDR_B, tokenA, T0).decision()).isEqualTo(new Callback.Refused(Refusal.NOT_THE_NODES_ADDRESS));
        assertThat(machine.callback(b, site, A, ADDR_A, tokenB, T0).decision()).isEqualTo(new Callback.Refused(Refusal.WRONG_TOKEN));
        assertThat(machine.callback(b, site, B, ADDR_A, tokenA, T0).decision()).isEqualTo(new Callback.Refused(Refusal.NOT_THE_NODES_ADDRESS));
        assertThat(machine.callback(b, site, STRANGER, ADDR_A, tokenA, T0).decision()).isEqualTo(new Callback.Refused(Refusal.NOT_THE_NODES_ADDRESS));
        assertThat(machine.callback(b, site, A, ADDR_B, tokenA, T0).book()).isSameAs(b);

        Transition<Callback> ok = machine.callback(b, site, A, ADDR_A, tokenA, T0.plusSeconds(600));
        Callback.Accepted accepted = (Callback.Accepted) ok.decision();
        assertThat(accepted.previous()).isEqualTo(b.node(A.value()));
        assertThat(ok.book().node(A.value()).state()).isEqualTo(InstallState.INSTALLED);
        assertThat(ok.book().node(A.value()).token()).isNull();
        assertThat(machine.callback(ok.book(), site, A, ADDR_A, tokenA, T0.plusSeconds(601)).decision())
                .isEqualTo(new Callback.Refused(Refusal.NO_INSTALL_IN_PROGRESS));
    }

    @Test
    void aNewRequestGetsANewTokenAndTheOldOneNoLongerWorks() {
        InstallBook b = requested(A);
        String first = b.node(A.value()).token();
        b = machine.request(b, site, req("r2", A), T0.plusSeconds(10)).book();
        String second = b.node(A.value()).token();
        assertThat(second).isNotEqualTo(first);
        assertThat(machine.callback(b, site, A, ADDR_A, first, T0).decision()).isEqualTo(new Callback.Refused(Refusal.WRONG_TOKEN));
        assertThat(machine.callback(b, site, A, ADDR_A, second, T0).decision()).isInstanceOf(Callback.Accepted.class);
    }

    @Test
    void theDeadlineEndsAnInstallWithoutCallbackAndNotBefore() {
        InstallBook b = requested(A);
        Instant deadline = T0.plus(Duration.ofMinutes(30));
        assertThat(machine.tick(b, site, deadline.minusSeconds(60)).book().node(A.value()).active()).isTrue();
        assertThat(machine.tick(b, site, deadline).book().node(A.value()).active()).isTrue();
        Transition<Void> late = machine.tick(b, site, deadline.plusSeconds(1));
        assertThat(late.book().node(A.value()).state()).isEqualTo(InstallState.FAILED);
        assertThat(late.book().node(A.value()).detail()).isEqualTo("deadline passed without the installer's callback");
        assertThat(late.effects()).noneMatch(e -> e instanceof PowerCycle);
        assertThat(late.effects()).anyMatch(e -> e instanceof Notice n && n.message().contains("passed its deadline of 30 min"));
    }

    @Test
    void aTickAsksAgainForPowerCyclesStillPendingAndOnlyThose() {
        InstallBook b = requested(A, B);
        b = machine.powerDone(b, B, "r1", new PowerOutcome(PowerOutcome.Kind.DONE, PowerState.ON, "cycled"), T0).book();
        Transition<Void> t = machine.tick(b, site, T0.plusSeconds(2));
        assertThat(t.effects()).containsExactly(new PowerCycle(site.machine(A).orElseThrow(), "r1"));
        assertThat(t.changed(b)).isFalse();
    }

    @Test
    void aPowerResultMovesTheInstallOnOrSaysWhyNot() {
        InstallBook b = requested(A);
        InstallBook ok = machine.powerDone(b, A, "r1", new PowerOutcome(PowerOutcome.Kind.DONE, PowerState.ON, "cycled"), T0.plusSeconds(3)).book();
        assertThat(ok.node(A.value()).state()).isEqualTo(InstallState.INSTALLING);
        assertThat(ok.node(A.value()).powerPending()).isFalse();
        InstallBook failed = machine.powerDone(b, A, "r1", new PowerOutcome(PowerOutcome.Kind.UNREACHABLE, PowerState.UNKNOWN, "no route"), T0).book();
        assertThat(failed.node(A.value()).state()).isEqualTo(InstallState.REQUESTED);
        assertThat(failed.node(A.value()).powerPending()).isFalse();
        assertThat(failed.node(A.value()).detail()).contains("power cycle failed", "UNREACHABLE", "no route", "next network boot");
        Transition<Void> stale = machine.powerDone(b, A, "r0", new PowerOutcome(PowerOutcome.Kind.DONE, PowerState.ON, "x"), T0);
        assertThat(stale.book()).isSameAs(b);
    }

    @Test
    void leavingMachinesTxtEndsTheInstall() {
        InstallBook b = requested(A, B);
        InstallSite onlyB = new InstallSite(InstallFixtures.snapshot(B), Map.of(B, ADDR_B));
        Transition<Void> t = machine.siteChanged(b, onlyB, T0.plusSeconds(5));
        assertThat(t.book().node(A.value()).state()).isEqualTo(InstallState.FAILED);
        assertThat(t.book().node(A.value()).detail()).isEqualTo("removed from machines.txt during the install");
        assertThat(t.book().node(B.value()).active()).isTrue();
    }

    @Test
    void theBookIsAnImmutableValue() {
        InstallBook b = requested(A);
        assertThatThrownBy(() -> b.nodes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> b.doneRequests().add("x")).isInstanceOf(UnsupportedOperationException.class);
        InstallBook withB = b.with(b.node(A.value()).with(InstallState.FAILED, T0, "x"));
        assertThat(b.node(A.value()).active()).isTrue();
        assertThat(withB.node(A.value()).active()).isFalse();
    }

    @Test
    void stateWordsAreTheContractsMachineStates() {
        for (InstallState s : InstallState.values()) {
            assertThat(AgentStatus.MachineState.valueOf(s.name()).word()).isEqualTo(s.word());
        }
        assertThat(InstallState.values()).hasSize(AgentStatus.MachineState.values().length);
    }
}
