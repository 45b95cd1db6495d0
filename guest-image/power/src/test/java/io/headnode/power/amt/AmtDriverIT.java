package io.headnode.power.amt;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Machine;
import io.headnode.contract.ShareLayout;
import io.headnode.power.BootDevice;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AMT driver (WS-Management and web form, digest auth) through PowerModule's service against FakeAmt on loopback. */
class AmtDriverIT {
    @TempDir
    Path dir;
    FakeAmt amt;

    @AfterEach
    void stop() {
        if (amt != null) {
            amt.close();
        }
    }

    private PowerService service(Machine m, String entry) {
        ShareLayout share = Fixtures.share(dir, m.mac() + " " + m.bmc() + "\n", m.bmc() + " " + entry + "\n");
        return Fixtures.service(share, Fixtures.fast().withCallTimeout(Duration.ofSeconds(1)));
    }

    @Test
    void wsmanPowerLifecycleAndBootDevice() {
        amt = FakeAmt.start("admin", "P@ss w0rd", false).cycleOffFor(Duration.ofMillis(300));
        Machine m = Fixtures.machine(1, amt.address());
        PowerService power = service(m, "driver=amt user=admin secret=P@ss%20w0rd");

        assertThat(power.status(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
        assertThat(power.on(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(power.on(m).kind()).isEqualTo(Kind.ALREADY);
        assertThat(power.cycle(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(power.reset(m).kind()).isEqualTo(Kind.DONE);
        assertThat(power.off(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
        assertThat(amt.log()).containsExactly("wsman power 2", "wsman power 5", "wsman power 10", "wsman power 8");

        assertThat(power.bootDevice(m, BootDevice.PXE, true).kind()).isEqualTo(Kind.DONE);
        assertThat(amt.bootSource()).isEqualTo("Intel(r) AMT: Force PXE Boot");
        PowerOutcome persistent = power.bootDevice(m, BootDevice.DISK, false);
        assertThat(persistent.kind()).isEqualTo(Kind.REFUSED);
        assertThat(persistent.detail()).contains("next boot only");
        assertThat(amt.bootSource()).isEqualTo("Intel(r) AMT: Force PXE Boot");
    }

    @Test
    void wsmanOverTls() throws Exception {
        amt = FakeAmt.startTls("admin", "secret", false);
        Machine m = Fixtures.machine(7, amt.address());
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.copy(io.headnode.power.redfish.TestCert.pem(), dir.resolve("amt-ca.pem"));
        PowerService power = service(m, "driver=amt user=admin secret=secret tls=yes ca=amt-ca.pem");
        assertThat(power.on(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(amt.log()).containsExactly("wsman power 2");
        PowerOutcome untrusted = service(m, "driver=amt user=admin secret=secret tls=yes").status(m);
        assertThat(untrusted.kind()).isEqualTo(Kind.REFUSED);
        assertThat(untrusted.detail()).contains("TLS");
    }

    @Test
    void webFormAsTheSeedUsedIt() {
        amt = FakeAmt.start("admin", "secret", true);
        Machine m = Fixtures.machine(2, amt.address());
        PowerService power = service(m, "driver=amt user=admin secret=secret protocol=form");

        assertThat(power.status(m).state()).isEqualTo(PowerState.ON);
        assertThat(power.cycle(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(power.off(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
        PowerOutcome cycleWhenOff = power.cycle(m);
        assertThat(cycleWhenOff.state()).as("the seed left an off node off; we power it on").isEqualTo(PowerState.ON);
        assertThat(amt.log()).containsExactly("form 3", "form 1", "form 2");
        assertThat(power.bootDevice(m, BootDevice.PXE, true).kind()).isEqualTo(Kind.REFUSED);
    }

    @Test
    void wrongPasswordIsAFailureNotRetried() {
        amt = FakeAmt.start("admin", "secret", false);
        Machine m = Fixtures.machine(3, amt.address());
        for (String protocol : new String[] {"wsman", "form"}) {
            PowerOutcome o = service(m, "driver=amt user=admin secret=wrong protocol=" + protocol).on(m);
            assertThat(o.kind()).as(protocol).isEqualTo(Kind.REFUSED);
            assertThat(o.detail()).contains("HTTP 401").doesNotContain("wrong");
        }
        assertThat(amt.isOn()).isFalse();
        assertThat(amt.requests()).as("challenge + one answer per protocol, no retries").isEqualTo(4);
    }

    @Test
    void serverErrorsAreRetriedThenReported() {
        amt = FakeAmt.start("admin", "secret", false);
        Machine m = Fixtures.machine(4, amt.address());
        PowerService power = service(m, "driver=amt user=admin secret=secret");
        amt.failNext(1);
        assertThat(power.on(m).kind()).as("one 500, then success on the retry").isEqualTo(Kind.DONE);
        amt.failNext(100);
        PowerOutcome o = power.off(m);
        assertThat(o.kind()).isEqualTo(Kind.REFUSED);
        assertThat(o.detail()).contains("HTTP 500").contains("after 2 attempts");
        assertThat(amt.isOn()).isTrue();
    }

    @Test
    void slowAnswersTimeOut() {
        amt = FakeAmt.start("admin", "secret", true);
        Machine m = Fixtures.machine(5, amt.address());
        PowerService power = service(m, "driver=amt user=admin secret=secret");
        // The fake answers only after 20 s; the driver's 1 s timeout (with its retries) must give up long before.
        // The bound is loose on purpose: a loaded 2-core machine stretches the retries, never to 20 s.
        amt.latency(Duration.ofSeconds(20));
        long t0 = System.nanoTime();
        PowerOutcome o = power.status(m);
        assertThat(o.kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(o.detail()).contains("no answer within 1000 ms");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(15_000);
    }

    @Test
    void unreachableBmc() {
        amt = FakeAmt.start("admin", "secret", true);
        int port = amt.port();
        amt.close();
        amt = null;
        Machine m = Fixtures.machine(6, "127.0.0.1:" + port);
        PowerOutcome o = service(m, "driver=amt user=admin secret=secret").status(m);
        assertThat(o.kind()).isEqualTo(Kind.UNREACHABLE);
    }
}
