package io.headnode.agent.install;

import static io.headnode.agent.install.InstallFixtures.A;
import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.render.Templates;
import io.headnode.agent.tftp.PxeConfigs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-MAC GRUB configs of the shipped centos profile and of the image's lab profile. */
class GrubTemplatesTest {
    static final Instant T = Instant.parse("2026-11-25T00:00:00Z");
    static final NodeInstall NODE = new NodeInstall(A.value(), InstallState.REQUESTED, "r7", "t".repeat(43), T, T, 0, true, "");

    @Test
    void centosOverHttpWhereGrubMayLoadHttpElseTftp() {
        String cfg = new InstallTemplates(new Templates(null), 80).grubConfig(InstallFixtures.site(), NODE);
        assertThat(cfg).startsWith(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r7\n");
        assertThat(cfg).contains("if insmod http; then\n",
                "  linux (http,10.0.5.1)/centos/vmlinuz quiet ip=dhcp inst.ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a\n",
                "  initrd (http,10.0.5.1)/centos/initrd.img\n  boot\n",
                "fi\necho \"headnode: kernel and initrd over TFTP",
                "\nlinux (tftp,10.0.5.1)/centos/vmlinuz quiet ip=dhcp inst.ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a\n",
                "\ninitrd (tftp,10.0.5.1)/centos/initrd.img\nboot\n");
        assertThat(cfg).doesNotContain("##", "#set", "${");
        String port = new InstallTemplates(new Templates(null), 8080).grubConfig(InstallFixtures.site(), NODE);
        assertThat(port).contains("linux (http,10.0.5.1:8080)/centos/vmlinuz", "linux (tftp,10.0.5.1)/centos/vmlinuz");
    }

    @Test
    void theImagesLabProfileRendersBothForms() {
        // the image ships the lab profile under /etc/headnode/templates (guest-image/image/rootfs)
        Templates t = new Templates(Path.of("../image/rootfs/etc/headnode/templates"));
        InstallTemplates it = new InstallTemplates(t, 80);
        InstallSite lab = new InstallSite(PxeSyncTest.snapshotWithProfileUnchecked("lab"), Map.of(A, "10.0.5.2"));
        assertThat(it.hasGrubConfig(lab)).isTrue();
        String cfg = it.grubConfig(lab, NODE);
        assertThat(cfg).startsWith(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r7\n")
                .contains("linux (tftp,10.0.5.1)/lab/vmlinuz console=ttyS0,115200 quiet hn.ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a",
                        "initrd (http,10.0.5.1)/lab/initrd.img", "headnode: kernel and initrd over TFTP");
        assertThat(it.pxeConfig(lab, NODE)).startsWith(PxeConfigs.MARKER).contains("kernel http://10.0.5.1:80/lab/vmlinuz");
    }
}
