package io.headnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.lab.LabFirmware;
import io.headnode.lab.LabSettings;
import io.headnode.lab.NodeProgress;
import io.headnode.testing.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link LabEndToEndIT} asserts about its UEFI and Secure Boot nodes (issue 9), from outside the guests: the
 * boot file the firmware got (OVMF prints it), the per-MAC GRUB config fetched over TFTP from the lab namespace during
 * the install and gone after it, GRUB having loaded it, one accepted callback, the boot from the disk's ESP, and for
 * Secure Boot the installer's report that it was on.
 */
final class FirmwareNodes {
    private final LabSettings settings;
    private final String ns;
    private final String head;
    private final Map<Integer, String> grubConfigs = new ConcurrentHashMap<>();

    FirmwareNodes(LabSettings settings, String ns, String head) {
        this.settings = settings;
        this.ns = ns;
        this.head = head;
    }

    static String grubConfigName(String mac) {
        return "grub/grub.cfg-01-" + mac.replace(':', '-');
    }

    List<Integer> uefiNodes() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= settings.nodes(); i++) {
            if (settings.nodeFirmware(i).uefi()) {
                out.add(i);
            }
        }
        return out;
    }

    /** Called while the install runs: keeps each UEFI node's per-MAC GRUB config the first time TFTP serves it. */
    void poll() {
        for (int i : uefiNodes()) {
            if (!grubConfigs.containsKey(i)) {
                CommandResult r = tftp(grubConfigName(settings.nodeMac(i)));
                if (r.exitCode() == 0 && !r.stdout().isBlank()) {
                    grubConfigs.put(i, r.stdout());
                }
            }
        }
    }

    /** Everything about UEFI node {@code i} after the lab finished; {@code console} is its cleaned serial log. */
    void assertInstalled(int i, String console, NodeProgress progress) {
        LabFirmware firmware = settings.nodeFirmware(i);
        String mac = settings.nodeMac(i);
        String what = settings.nodeName(i) + " (" + firmware.word() + ")";
        assertThat(progress).as(what).isEqualTo(NodeProgress.BOOTED_FROM_DISK);
        // the boot file: OVMF's own PXE names it (dhcpd's arch 7 branch), then shim loaded GRUB, which read its config
        assertThat(console).as(what).contains("Start PXE over IPv4").contains("NBP filename is shimx64.efi")
                .contains("headnode: GRUB install config for " + mac);
        assertThat(console).as(what).doesNotContain("pxelinux.0");
        assertThat(grubConfigs.get(i)).as("%s: per-MAC GRUB config fetched over TFTP during the install", what).isNotNull()
                .startsWith("# headnode-agent install config for " + mac)
                .contains("linux (tftp," + head + ")/lab/vmlinuz", "linux (http," + head + ")/lab/vmlinuz");
        // Kernel and initrd: the config tries HTTP, then TFTP. Under Secure Boot GRUB 2.06 refuses http.mod ("prohibited
        // by secure boot policy") yet `if insmod http` takes the HTTP branch, whose `linux (http,...)` fails, so TFTP.
        // Without Secure Boot http.mod loads and HTTP must work: the "timeout reading `/lab/vmlinuz'" of the first runs
        // was the agent cutting downloads longer than its request timeout (docs/design/uefi-boot.md, section 12).
        assertThat(console).as(what).contains("headnode: kernel and initrd over HTTP");
        if (firmware == LabFirmware.SECUREBOOT) {
            assertThat(console).as(what).contains("error: prohibited by secure boot policy.", "headnode: kernel and initrd over TFTP");
        } else {
            assertThat(console).as("%s: kernel and initrd over HTTP, no fallback", what)
                    .doesNotContain("timeout reading", "headnode: HTTP did not work", "headnode: kernel and initrd over TFTP");
        }
        assertThat(count(console, NodeProgress.INSTALLER_START)).as("%s installed exactly once", what).isEqualTo(1);
        assertThat(count(console, NodeProgress.CALLBACK_ACCEPTED)).as("%s: one accepted callback", what).isEqualTo(1);
        assertThat(console).as(what).contains("headnode-installer: firmware uefi");
        if (firmware == LabFirmware.SECUREBOOT) {
            assertThat(console).as("%s: Secure Boot was on", what).contains("kernel: Secure boot enabled");
        } else {
            assertThat(console).as(what).contains("kernel: Secure boot disabled");
        }
        CommandResult gone = tftp(grubConfigName(mac));
        assertThat(gone.exitCode()).as("%s: per-MAC GRUB config must be gone: %s", what, gone.stdout()).isNotZero();
        String after = console.substring(console.indexOf(NodeProgress.CALLBACK_ACCEPTED));
        assertThat(after).as(what).contains("headnode: no install for " + mac + ": booting the local disk")
                .contains("headnode: booted from the local disk (ESP GRUB");
        Matcher marker = Pattern.compile("(?m)^(HEADNODE-DISK-MARKER mac=" + Pattern.quote(mac) + " vlan100)$").matcher(after);
        assertThat(marker.find()).as("%s: disk marker line after the reboot in %s", what, after).isTrue();
    }

    /** The default GRUB config, as a node fetches it. */
    String defaultGrubConfig() {
        return tftp("grub/grub.cfg").stdout();
    }

    private CommandResult tftp(String path) {
        return Command.run(Duration.ofSeconds(20), List.of("ip", "netns", "exec", ns, "curl", "-sS", "--max-time", "3",
                "tftp://" + head + "/" + path));
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
