package io.headnode.agent.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.TestConfigs;
import io.headnode.agent.render.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tftpboot tree for both firmware families, from fake package files in a temp directory. */
class TftpTreeTest {
    static AgentConfig config(Path dir) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("pkg"));
        for (String f : new String[] {"pxelinux.0", "lpxelinux.0", "memdisk", "shimx64.efi.signed", "grubnetx64.efi.signed"}) {
            Files.writeString(pkg.resolve(f), "content of " + f);
        }
        for (String m : TftpTree.MODULES) {
            Files.writeString(pkg.resolve(m), "module " + m);
        }
        return TestConfigs.rootedIn(dir, "pxelinux-dir", pkg.toString(), "syslinux-modules-dir", pkg.toString(),
                "memdisk", pkg.resolve("memdisk").toString(), "shim-file", pkg.resolve("shimx64.efi.signed").toString(),
                "grub-netboot-file", pkg.resolve("grubnetx64.efi.signed").toString());
    }

    @Test
    void shipsShimGrubAndTheirDefaultConfigBesidePxelinux(@TempDir Path dir) throws Exception {
        AgentConfig c = config(dir);
        TftpTree tree = new TftpTree(c, new Templates(null));
        TftpTree.Result r = tree.build();
        assertThat(r.problems()).isEmpty();
        assertThat(r.uefiProblems()).isEmpty();
        Path root = c.tftpRoot();
        assertThat(root.resolve("pxelinux.0")).hasContent("content of pxelinux.0");
        assertThat(root.resolve("shimx64.efi")).hasContent("content of shimx64.efi.signed");
        assertThat(root.resolve("grubx64.efi")).hasContent("content of grubnetx64.efi.signed");
        assertThat(root.resolve("grub/x86_64-efi")).doesNotExist();
        String cfg = Files.readString(root.resolve("grub/grub.cfg"));
        // GRUB's own variables pass through Velocity untouched
        assertThat(cfg).contains("\"$net_default_mac\"", "configfile \"$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6\"",
                "chainloader /EFI/debian/shimx64.efi", "chainloader /EFI/BOOT/BOOTX64.EFI", "\nexit\n");
        assertThat(cfg).doesNotContain("#[[", "]]#", "##");
        assertThat(cfg.indexOf("configfile")).isLessThan(cfg.indexOf("chainloader"));
        assertThat(tree.build().updated()).as("nothing changed, nothing written").isZero();
    }

    @Test
    void missingUefiFilesAreNamedAndTheBiosTreeIsStillComplete(@TempDir Path dir) throws Exception {
        AgentConfig c = config(dir);
        Path shim = c.shimFile();
        Files.delete(shim);
        Files.delete(c.grubNetbootFile());
        TftpTree.Result r = new TftpTree(c, new Templates(null)).build();
        assertThat(r.complete()).isTrue();
        assertThat(r.uefiComplete()).isFalse();
        assertThat(r.uefiProblems()).containsExactly(shim + " is missing (install shim-signed)",
                c.grubNetbootFile() + " is missing (install grub-efi-amd64-signed from Debian 13)");
        assertThat(c.tftpRoot().resolve("pxelinux.0")).exists();
        assertThat(c.tftpRoot().resolve("grubx64.efi")).doesNotExist();
    }

    @Test
    void theGrub206HttpModuleOfAnOlderTreeIsRemoved(@TempDir Path dir) throws Exception {
        AgentConfig c = config(dir);
        Path stale = c.tftpRoot().resolve("grub/x86_64-efi/http.mod");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "GRUB 2.06 module");
        TftpTree tree = new TftpTree(c, new Templates(null));
        assertThat(tree.build().uefiComplete()).isTrue();
        assertThat(stale).doesNotExist();
        assertThat(c.tftpRoot().resolve("grubx64.efi")).hasContent("content of grubnetx64.efi.signed");
        assertThat(tree.build().updated()).isZero();
    }

    @Test
    void grubPerMacConfigsUseTheNameGrubLooksUpAndLeaveForeignFilesAlone(@TempDir Path dir) throws Exception {
        PxeConfigs grub = PxeConfigs.grub(dir);
        io.headnode.contract.MacAddress a = io.headnode.contract.MacAddress.parse("52:54:00:99:00:01");
        assertThat(grub.fileFor(a)).isEqualTo(dir.resolve("grub.cfg-01-52-54-00-99-00-01"));
        assertThat(grub.write(a, PxeConfigs.MARKER + " x\nboot\n")).isTrue();
        Files.writeString(dir.resolve("grub.cfg"), "# default\n");
        Files.writeString(dir.resolve("grub.cfg-01-52-54-00-99-00-02"), "operator's\n");
        Files.writeString(dir.resolve("01-52-54-00-99-00-03"), PxeConfigs.MARKER + " a pxelinux name, not GRUB's\n");
        assertThat(grub.removeAllExcept(java.util.Set.of())).isEqualTo(1);
        assertThat(grub.exists(a)).isFalse();
        assertThat(dir.resolve("grub.cfg")).exists();
        assertThat(dir.resolve("grub.cfg-01-52-54-00-99-00-02")).exists();
        assertThat(dir.resolve("01-52-54-00-99-00-03")).exists();
    }
}
