package io.headnode.power.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Machine;
import io.headnode.contract.ShareLayout;
import io.headnode.power.BootDevice;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redfish driver through PowerModule's service against FakeRedfish on loopback HTTPS (a self-signed certificate it is told to trust). */
class RedfishDriverIT {
    @TempDir
    Path dir;
    FakeRedfish bmc;

    @AfterEach
    void stop() {
        if (bmc != null) {
            bmc.close();
        }
    }

    private PowerService service(Machine m, String entry) throws Exception {
        ShareLayout share = Fixtures.share(dir, m.mac() + " " + m.bmc() + "\n", m.bmc() + " " + entry + "\n");
        Files.copy(TestCert.pem(), dir.resolve("bmc-ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Fixtures.service(share, Fixtures.fast().withCallTimeout(Duration.ofSeconds(1)));
    }

    @Test
    void sessionAuthLifecycleAndBootOverride() throws Exception {
        bmc = FakeRedfish.start("root", "calvin", false).cycleOffFor(Duration.ofMillis(300));
        Machine m = Fixtures.machine(1, bmc.address());
        PowerService power = service(m, "driver=redfish user=root secret=calvin ca=bmc-ca.pem");

        assertThat(power.status(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
        assertThat(power.on(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(power.on(m).kind()).as("already on").isEqualTo(Kind.ALREADY);
        assertThat(power.cycle(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(power.reset(m).kind()).isEqualTo(Kind.DONE);
        assertThat(power.off(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
        assertThat(bmc.log()).containsExactly("reset On", "reset PowerCycle", "reset ForceRestart", "reset ForceOff");

        assertThat(power.bootDevice(m, BootDevice.PXE, true).kind()).isEqualTo(Kind.DONE);
        assertThat(bmc.boot()).isEqualTo("Once Pxe");
        assertThat(power.bootDevice(m, BootDevice.DISK, false).kind()).isEqualTo(Kind.DONE);
        assertThat(bmc.boot()).isEqualTo("Continuous Hdd");
        assertThat(bmc.openSessions()).as("every session is deleted when the client closes").isZero();
    }

    @Test
    void basicAuth() throws Exception {
        bmc = FakeRedfish.start("root", "calvin", true);
        Machine m = Fixtures.machine(2, bmc.address());
        PowerService power = service(m, "driver=redfish user=root secret=calvin auth=basic ca=bmc-ca.pem");
        assertThat(power.off(m)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
        assertThat(bmc.log()).containsExactly("reset ForceOff");
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        bmc = FakeRedfish.start("root", "calvin", false);
        Machine m = Fixtures.machine(3, bmc.address());
        for (String auth : new String[] {"session", "basic"}) {
            PowerOutcome o = service(m, "driver=redfish user=root secret=hobbes auth=" + auth + " ca=bmc-ca.pem").on(m);
            assertThat(o.kind()).as(auth).isEqualTo(Kind.REFUSED);
            assertThat(o.detail()).contains("HTTP 401").doesNotContain("hobbes");
        }
        assertThat(bmc.isOn()).isFalse();
    }

    @Test
    void untrustedCertificateIsRefused() throws Exception {
        bmc = FakeRedfish.start("root", "calvin", false);
        Machine m = Fixtures.machine(4, bmc.address());
        PowerOutcome o = service(m, "driver=redfish user=root secret=calvin").status(m);
        assertThat(o.kind()).isEqualTo(Kind.REFUSED);
        assertThat(o.detail()).contains("TLS");
    }

    @Test
    void serverErrorsRetriedAndSlowAnswersTimeOut() throws Exception {
        bmc = FakeRedfish.start("root", "calvin", false);
        Machine m = Fixtures.machine(5, bmc.address());
        PowerService power = service(m, "driver=redfish user=root secret=calvin ca=bmc-ca.pem");
        bmc.failNext(1);
        assertThat(power.on(m).kind()).isEqualTo(Kind.DONE);
        bmc.failNext(100);
        PowerOutcome o = power.off(m);
        assertThat(o.kind()).isEqualTo(Kind.REFUSED);
        assertThat(o.detail()).contains("HTTP 500").contains("internal service error");
        bmc.failNext(0);
        bmc.latency(Duration.ofMillis(1500));
        assertThat(power.status(m).kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(bmc.isOn()).isTrue();
    }
}
