package io.headnode.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Machine;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PowerOperationsTest {
    private final FakeTicker ticker = new FakeTicker();
    private final PowerSettings settings = new PowerSettings(Duration.ofSeconds(5), 3, Duration.ofSeconds(1), Duration.ofSeconds(4),
            Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(1), 4, Duration.ZERO);
    private final PowerOperations ops = new PowerOperations(settings, new BmcPacer(Duration.ZERO, ticker), ticker, () -> 0.5);
    private final Machine m = Fixtures.machine(1, "10.0.0.1");

    @Test
    void onWhenOnSendsNothing() throws Exception {
        ScriptedClient c = new ScriptedClient(PowerState.ON);
        assertThat(ops.power(m, c, PowerAction.ON)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.ALREADY, PowerState.ON);
        assertThat(c.calls).containsExactly("state");
    }

    @Test
    void cycleOfAnOffNodePowersItOn() throws Exception {
        ScriptedClient c = new ScriptedClient(PowerState.OFF);
        PowerOutcome o = ops.power(m, c, PowerAction.CYCLE);
        assertThat(o.kind()).isEqualTo(Kind.DONE);
        assertThat(o.state()).isEqualTo(PowerState.ON);
        assertThat(c.calls).containsExactly("state", "ON", "state");
    }

    @Test
    void waitsForTheNodeToReachTheStateAndReportsWhenItDoesNot() throws Exception {
        ScriptedClient slow = new ScriptedClient(PowerState.OFF);
        slow.lagReads = 3;
        assertThat(ops.power(m, slow, PowerAction.ON).kind()).isEqualTo(Kind.DONE);
        assertThat(slow.calls).containsExactly("state", "ON", "state", "state", "state", "state");

        ScriptedClient stuck = new ScriptedClient(PowerState.OFF);
        stuck.lagReads = 1000;
        PowerOutcome o = ops.power(m, stuck, PowerAction.ON);
        assertThat(o.kind()).as("accepted but never on is not success").isEqualTo(Kind.TIMED_OUT);
        assertThat(o.state()).isEqualTo(PowerState.OFF);
        assertThat(o.detail()).contains("power on accepted, but power is off after 10 s");
    }

    @Test
    void retriesWithBackoffAndReReadsTheStateFirst() throws Exception {
        ScriptedClient c = new ScriptedClient(PowerState.OFF);
        c.powerFailures.add(BmcException.busy("HTTP 503"));
        PowerOutcome o = ops.power(m, c, PowerAction.ON);
        assertThat(o.kind()).isEqualTo(Kind.DONE);
        assertThat(c.calls).containsExactly("state", "ON", "state", "ON", "state");
        assertThat(ticker.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void anOnThatTimedOutButWorkedIsConfirmedByTheReRead() throws Exception {
        ScriptedClient c = new ScriptedClient(PowerState.OFF);
        c.powerFailures.add(BmcException.timedOut("no answer", true));
        PowerOutcome o = ops.power(m, c, PowerAction.ON);
        assertThat(o.kind()).isEqualTo(Kind.DONE);
        assertThat(o.detail()).contains("confirmed on re-read");
        assertThat(c.calls).containsExactly("state", "ON", "state");
    }

    @Test
    void aCycleThatMayHaveBeenAppliedIsNotSentTwice() throws Exception {
        ScriptedClient c = new ScriptedClient(PowerState.ON);
        c.powerFailures.add(BmcException.timedOut("no answer", true));
        PowerOutcome o = ops.power(m, c, PowerAction.CYCLE);
        assertThat(o.kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(o.detail()).contains("may have been applied").contains("not sent again");
        assertThat(c.calls).containsExactly("state", "CYCLE", "state");
    }

    @Test
    void refusalsAreNotRetriedAndRetriesRunOut() throws Exception {
        ScriptedClient refused = new ScriptedClient(PowerState.OFF);
        refused.stateFailures.add(BmcException.refused("HTTP 401"));
        assertThat(ops.power(m, refused, PowerAction.ON)).extracting(PowerOutcome::kind, PowerOutcome::detail).containsExactly(Kind.REFUSED, "HTTP 401");
        assertThat(refused.calls).containsExactly("state");

        ScriptedClient down = new ScriptedClient(PowerState.OFF);
        for (int i = 0; i < 5; i++) {
            down.stateFailures.add(BmcException.unreachable("connection refused", null));
        }
        PowerOutcome o = ops.status(m, down);
        assertThat(o.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(o.detail()).isEqualTo("connection refused (after 3 attempts)");
        assertThat(ticker.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void backoffHasJitterAndACap() throws Exception {
        PowerOperations jittery = new PowerOperations(settings.withAttempts(5), new BmcPacer(Duration.ZERO, ticker), ticker, () -> 0.0);
        ScriptedClient down = new ScriptedClient(PowerState.OFF);
        for (int i = 0; i < 5; i++) {
            down.stateFailures.add(BmcException.timedOut("no answer", false));
        }
        jittery.status(m, down);
        assertThat(ticker.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void resetOfAnOffNodeIsRefused() throws Exception {
        ScriptedClient c = new ScriptedClient(PowerState.OFF);
        assertThat(ops.power(m, c, PowerAction.RESET).kind()).isEqualTo(Kind.REFUSED);
        assertThat(c.calls).containsExactly("state");
    }

    @Test
    void pacerKeepsTheMinimumIntervalPerBmc() throws Exception {
        BmcPacer pacer = new BmcPacer(Duration.ofMillis(700), ticker);
        PowerOperations paced = new PowerOperations(settings, pacer, ticker, () -> 0.5);
        ScriptedClient c = new ScriptedClient(PowerState.OFF);
        paced.power(m, c, PowerAction.ON);
        assertThat(ticker.sleeps()).containsExactly(Duration.ofMillis(700), Duration.ofMillis(700));
        paced.status(Fixtures.machine(2, "10.0.0.2"), new ScriptedClient(PowerState.ON));
        assertThat(ticker.sleeps()).as("another BMC does not wait").hasSize(2);
    }
}
