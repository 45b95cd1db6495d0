package io.headnode.agent.install;

import static io.headnode.agent.install.InstallFixtures.A;
import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.render.Templates;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-MAC GRUB configs of the shipped profiles and of the image's lab profile: kernel and initrd over HTTP only
 * (the netboot GRUB is Debian 13's 2.12 with {@code http} built in, Secure Boot or not; docs/design/uefi-boot.md,
 * section 12), never over TFTP, no module loading, a reboot when the download fails; each passes GRUB's own script
 * parser ({@code grub-script-check}, package grub-common), as does the default {@code grub/grub.cfg}.
 */
class GrubTemplatesTest {
    static final Instant T = Instant.parse("2026-11-25T00:00:00Z");
    static final NodeInstall NODE = new NodeInstall(A.value(), InstallState.REQUESTED, "r7", "t".repeat(43), T, T, 0, true, "");
    /** The image ships the lab profile under /etc/headnode/templates (guest-image/image/rootfs). */
    static final Path IMAGE_TEMPLATES = Path.of("../image/rootfs/etc/headnode/templates");

    @TempDir
    Path tmp;

    static String render(String profile, int httpPort) {
        Templates t = new Templates(profile.equals("lab") ? IMAGE_TEMPLATES : null);
        InstallSite site = profile.equals("centos") ? InstallFixtures.site()
                : new InstallSite(PxeSyncTest.snapshotWithProfileUnchecked(profile), Map.of(A, "10.0.5.2"));
        InstallTemplates it = new InstallTemplates(t, httpPort);
        assertThat(it.hasGrubConfig(site)).as(profile).isTrue();
        return it.grubConfig(site, NODE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"centos", "debian12", "ubuntu2404", "el9", "lab"})
    void kernelAndInitrdOverHttpOnlyThenARebootIfThatFailed(String profile) throws Exception {
        String cfg = render(profile, 80);
        assertThat(cfg).startsWith(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r7\n")
                .contains("echo \"headnode: kernel and initrd over HTTP from 10.0.5.1\"\n")
                .containsPattern("\nlinux \\(http,10\\.0\\.5\\.1\\)/" + profile + "/vmlinuz [^\n]*http://10\\.0\\.5\\.1:80/ks/01-52-54-00-00-00-0a")
                .contains("\ninitrd (http,10.0.5.1)/" + profile + "/initrd.img\nboot\n")
                .endsWith("failed: restarting in 10 s\"\nsleep 10\nreboot\n");
        assertThat(cfg).as("no TFTP, no module loading, nothing left of the template")
                .doesNotContain("tftp", "insmod", "##", "#set", "${", "$!");
        assertThat(cfg.indexOf("\nlinux ")).isLessThan(cfg.indexOf("\ninitrd ")).isLessThan(cfg.indexOf("\nboot\n")).isLessThan(cfg.indexOf("\nreboot\n"));
        assertGrubParses(cfg, profile);
        String port = render(profile, 8080);
        assertThat(port).contains("linux (http,10.0.5.1:8080)/" + profile + "/vmlinuz ", "initrd (http,10.0.5.1:8080)/" + profile + "/initrd.img")
                .doesNotContain("tftp");
    }

    @Test
    void centosRendersExactly() {
        assertThat(render("centos", 80)).isEqualTo(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r7\n"
                + "echo \"headnode: GRUB install config for 52:54:00:00:00:0a (request r7)\"\n"
                + "echo \"headnode: kernel and initrd over HTTP from 10.0.5.1\"\n"
                + "linux (http,10.0.5.1)/centos/vmlinuz quiet ip=dhcp inst.ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a\n"
                + "initrd (http,10.0.5.1)/centos/initrd.img\n"
                + "boot\n"
                + "echo \"headnode: loading the kernel and initrd over HTTP from 10.0.5.1 failed: restarting in 10 s\"\n"
                + "sleep 10\n"
                + "reboot\n");
    }

    @Test
    void theImagesLabProfileRendersBothForms() {
        Templates t = new Templates(IMAGE_TEMPLATES);
        InstallTemplates it = new InstallTemplates(t, 80);
        InstallSite lab = new InstallSite(PxeSyncTest.snapshotWithProfileUnchecked("lab"), Map.of(A, "10.0.5.2"));
        assertThat(it.grubConfig(lab, NODE)).contains("linux (http,10.0.5.1)/lab/vmlinuz console=ttyS0,115200 quiet hn.ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a",
                "initrd (http,10.0.5.1)/lab/initrd.img", "headnode: GRUB install config for 52:54:00:00:00:0a");
        assertThat(it.pxeConfig(lab, NODE)).startsWith(PxeConfigs.MARKER).contains("kernel http://10.0.5.1:80/lab/vmlinuz");
    }

    @Test
    void theDefaultGrubCfgParses() throws Exception {
        String cfg = new Templates(null).render("grub-default.vm", Map.of());
        assertThat(cfg).contains("configfile \"$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6\"");
        assertGrubParses(cfg, "grub-default");
    }

    /** GRUB's own parser (grub-script-check, the same script grammar as the signed GRUB) accepts {@code cfg}. */
    void assertGrubParses(String cfg, String name) throws Exception {
        Path f = tmp.resolve(name + ".cfg");
        Files.writeString(f, cfg);
        CommandResult ok = Command.run(Duration.ofSeconds(30), List.of("grub-script-check", f.toString()));
        assertThat(ok.exitCode()).as("grub-script-check %s: %s%s", name, ok.stdout(), ok.stderr()).isZero();
        // the check is real: an unclosed `if` is refused
        Files.writeString(f, cfg + "if true; then\n");
        assertThat(Command.run(Duration.ofSeconds(30), List.of("grub-script-check", f.toString())).exitCode()).as(name).isNotZero();
    }
}
