package io.headnode.agent.install;

import static io.headnode.agent.install.InstallFixtures.A;
import static io.headnode.agent.install.InstallFixtures.ADDR_A;
import static io.headnode.agent.install.InstallFixtures.ADDR_B;
import static io.headnode.agent.install.InstallFixtures.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.agent.install.InstallEffect.PowerCycle;
import io.headnode.agent.install.InstallMachine.Callback;
import io.headnode.agent.install.InstallMachine.Kickstart;
import io.headnode.agent.install.InstallMachine.Refusal;
import io.headnode.agent.install.InstallMachine.Report;
import io.headnode.agent.install.InstallMachine.Transition;
import io.headnode.agent.render.Templates;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.ImageName;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.TargetDisk;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Image installs (the `image` profile) in the pure state machine and its templates: fake clock, explicit tokens. */
class ImageInstallTest {
    static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");
    static final String SHA = "ab".repeat(32);
    static final ImageDeploy DEBIAN = new ImageDeploy("debian-12", SHA, 500L << 20, null);
    final InstallMachine machine = new InstallMachine(InstallFixtures.tokens());
    final InstallSite site = InstallFixtures.site();

    static InstallRequest imageReq(String id, String disk, MacAddress... macs) {
        return new InstallRequest(id, false, List.of(macs), Optional.of(ImageName.parse("debian-12")),
                Optional.ofNullable(disk).map(TargetDisk::parse));
    }

    InstallBook requested() {
        return machine.request(InstallBook.EMPTY, site, imageReq("r1", null, A), Optional.of(DEBIAN), T0).book();
    }

    /** Requested, kickstart served, callback accepted: installed, waiting for the report. */
    InstallBook installed() {
        InstallBook b = requested();
        b = machine.kickstart(b, site, A, ADDR_A, T0.plusSeconds(20)).book();
        String token = b.node(A.value()).token();
        Transition<Callback> t = machine.callback(b, site, A, ADDR_A, token, null, T0.plusSeconds(60));
        assertThat(t.decision()).isInstanceOf(Callback.Accepted.class);
        return t.book();
    }

    @Test
    void anImageRequestPinsTheImageAndGivesEachNodeAReportTokenOfItsOwn() {
        Transition<InstallMachine.RequestOutcome> t = machine.request(InstallBook.EMPTY, site, imageReq("r1", "/dev/sdb", A, B),
                Optional.of(new ImageDeploy("debian-12", SHA, 1024, "/dev/sdb")), T0);
        NodeInstall a = t.book().node(A.value());
        assertThat(a.state()).isEqualTo(InstallState.REQUESTED);
        assertThat(a.image()).isEqualTo(new ImageDeploy("debian-12", SHA, 1024, "/dev/sdb"));
        assertThat(a.reportToken()).isNotNull().isNotEqualTo(a.token()).isNotEqualTo(t.book().node(B.value()).reportToken());
        assertThat(t.effects()).filteredOn(e -> e instanceof PowerCycle).hasSize(2);
        assertThat(site.profile(a)).isEqualTo("image");
        assertThat(site.profile()).isEqualTo("centos");
    }

    @Test
    void anImageMissingFromTheCatalogFailsTheTargetsAtOnceWithoutAPowerCycle() {
        Transition<InstallMachine.RequestOutcome> t = machine.request(InstallBook.EMPTY, site, imageReq("r1", null, A), Optional.empty(), T0);
        assertThat(t.decision().ran()).isTrue();
        NodeInstall a = t.book().node(A.value());
        assertThat(a.state()).isEqualTo(InstallState.FAILED);
        assertThat(a.detail()).isEqualTo("image debian-12 is not in the image catalog");
        assertThat(t.effects()).noneMatch(e -> e instanceof PowerCycle);
        assertThat(t.book().ran("r1")).isTrue();
    }

    @Test
    void theCallbackEndsTheDeployButTheNodeWaitsForItsFirstBootReport() {
        NodeInstall a = installed().node(A.value());
        assertThat(a.state()).isEqualTo(InstallState.INSTALLED);
        assertThat(a.active()).as("no per-MAC config: the next boot is the disk").isFalse();
        assertThat(a.awaitingReport()).isTrue();
        assertThat(a.token()).as("the install token is spent").isNull();
        assertThat(a.detail()).contains("written and verified; waiting for the first-boot report");
    }

    @Test
    void theReportMakesTheNodeActiveOnceOnlyWithItsTokenFromItsAddress() {
        InstallBook b = installed();
        String report = b.node(A.value()).reportToken();
        assertThat(machine.report(b, site, A, ADDR_B, report, T0.plusSeconds(90)).decision())
                .isEqualTo(new Report.Refused(Refusal.NOT_THE_NODES_ADDRESS));
        assertThat(machine.report(b, site, A, ADDR_A, "x".repeat(43), T0.plusSeconds(90)).decision())
                .isEqualTo(new Report.Refused(Refusal.WRONG_TOKEN));
        Transition<Report> ok = machine.report(b, site, A, ADDR_A, report, T0.plusSeconds(90));
        assertThat(ok.decision()).isInstanceOf(Report.Accepted.class);
        NodeInstall a = ok.book().node(A.value());
        assertThat(a.state()).isEqualTo(InstallState.ACTIVE);
        assertThat(a.reportToken()).isNull();
        assertThat(a.detail()).isEqualTo("image debian-12 booted and reported");
        assertThat(machine.report(ok.book(), site, A, ADDR_A, report, T0.plusSeconds(95)).decision())
                .as("a replay").isEqualTo(new Report.Refused(Refusal.NO_INSTALL_IN_PROGRESS));
        assertThat(machine.tick(ok.book(), site, T0.plus(Duration.ofHours(5))).book()).as("an active node stays active").isEqualTo(ok.book());
    }

    @Test
    void aReportBeforeTheDeployCalledBackIsRefused() {
        InstallBook b = requested();
        assertThat(machine.report(b, site, A, ADDR_A, b.node(A.value()).reportToken(), T0.plusSeconds(5)).decision())
                .isEqualTo(new Report.Refused(Refusal.NO_INSTALL_IN_PROGRESS));
    }

    @Test
    void aFailureCallbackEndsTheInstallFailedWithTheRamdisksReason() {
        InstallBook b = machine.kickstart(requested(), site, A, ADDR_A, T0.plusSeconds(20)).book();
        String token = b.node(A.value()).token();
        Transition<Callback> t = machine.callback(b, site, A, ADDR_A, token, "checksum: sha256 of the written image is 00, expected ab",
                T0.plusSeconds(60));
        NodeInstall a = t.book().node(A.value());
        assertThat(a.state()).isEqualTo(InstallState.FAILED);
        assertThat(a.detail()).isEqualTo("installer reported failure: checksum: sha256 of the written image is 00, expected ab");
        assertThat(a.active()).as("the per-MAC config goes: the next boot is the default").isFalse();
        assertThat(a.reportToken()).isNull();
        assertThat(machine.callback(t.book(), site, A, ADDR_A, token, null, T0.plusSeconds(61)).decision())
                .as("no late success").isEqualTo(new Callback.Refused(Refusal.NO_INSTALL_IN_PROGRESS));
    }

    @Test
    void noReportBeforeTheDeadlineAfterTheCallbackFailsTheNode() {
        InstallBook b = installed();   // called back at T0+60 s; deadline 30 min
        assertThat(machine.tick(b, site, T0.plusSeconds(60).plus(Duration.ofMinutes(30))).book()).isEqualTo(b);
        NodeInstall a = machine.tick(b, site, T0.plusSeconds(61).plus(Duration.ofMinutes(30))).book().node(A.value());
        assertThat(a.state()).isEqualTo(InstallState.FAILED);
        assertThat(a.detail()).isEqualTo("no first-boot report from the deployed OS before the deadline");
    }

    @Test
    void aNewInstallAfterAFailureStartsAfresh() {
        InstallBook failed = machine.request(InstallBook.EMPTY, site, imageReq("r1", null, A), Optional.empty(), T0).book();
        NodeInstall a = machine.request(failed, site, imageReq("r2", null, A), Optional.of(DEBIAN), T0.plusSeconds(10)).book().node(A.value());
        assertThat(a.state()).isEqualTo(InstallState.REQUESTED);
        assertThat(a.requestId()).isEqualTo("r2");
    }

    @Test
    void anImageInstallNeedsItsReportTokenUntilActive() {
        assertThatThrownBy(() -> new NodeInstall(A.value(), InstallState.INSTALLED, "r1", null, T0, T0, 1, false, "", DEBIAN, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageDeploy("x", "AB".repeat(32), 1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theImageProfileRendersTheRamdisksParametersAndConfigsWithoutTokens() {
        InstallBook b = requested();
        Transition<Kickstart> ks = machine.kickstart(b, site, A, ADDR_A, T0.plusSeconds(20));
        NodeInstall n = ((Kickstart.Serve) ks.decision()).node();
        InstallTemplates t = new InstallTemplates(new Templates(null), 8080);
        String params = t.kickstart(site, n, ADDR_A);
        assertThat(params.lines().filter(l -> !l.startsWith("#")).toList()).containsExactly(
                "HN_IMAGE_URL=http://10.0.5.1:8080/images/debian-12",
                "HN_IMAGE_SHA256=" + SHA,
                "HN_IMAGE_SIZE=" + (500L << 20),
                "HN_DISK=",
                "HN_CALLBACK=http://10.0.5.1:8080/boot-default/01-52-54-00-00-00-0a",
                "HN_TOKEN=" + n.token(),
                "HN_REPORT_URL=http://10.0.5.1:8080/report/01-52-54-00-00-00-0a",
                "HN_REPORT_TOKEN=" + n.reportToken(),
                "HN_HOSTNAME=node-00000a");
        String pxe = t.pxeConfig(site, n);
        assertThat(pxe).startsWith(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r1\n")
                .contains("kernel http://10.0.5.1:8080/image/vmlinuz",
                        "append initrd=http://10.0.5.1:8080/image/initrd.img console=ttyS0,115200 quiet hn.ks=http://10.0.5.1:8080/ks/01-52-54-00-00-00-0a")
                .doesNotContain(n.token(), n.reportToken());
        assertThat(t.hasGrubConfig(site, n)).isTrue();
        String grub = t.grubConfig(site, n);
        assertThat(grub).contains("linux (http,10.0.5.1:8080)/image/vmlinuz", "initrd (http,10.0.5.1:8080)/image/initrd.img")
                .doesNotContain(n.token(), n.reportToken(), "##", "${", "tftp");
    }
}
