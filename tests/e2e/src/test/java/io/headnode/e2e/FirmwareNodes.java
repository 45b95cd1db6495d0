package io.headnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.lab.LabFirmware;
import io.headnode.lab.LabSettings;
import io.headnode.lab.NodeProgress;
import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link LabEndToEndIT} asserts about its UEFI, Secure Boot and UEFI HTTP boot nodes (issue 9), from outside the
 * guests: the DHCP exchange and TFTP requests on the VLAN bridge (tcpdump in the lab namespace), the boot file the
 * firmware got (OVMF prints it), the per-MAC GRUB config fetched over TFTP from the lab namespace during the install
 * and gone after it, GRUB having loaded it, kernel and initrd sent over HTTP (the agent's access record on the head
 * node's console) and never requested over TFTP, one accepted callback, the boot from the disk's ESP, and for Secure
 * Boot the installer's report that it was on.
 */
final class FirmwareNodes {
    /** What the agent serves the lab profile's kernel and initrd from (its tftp root, also its HTTP root). */
    private static final String LAB_TREE = "/var/lib/tftpboot/lab/";
    private final LabSettings settings;
    private final String ns;
    private final String head;
    private final Map<Integer, String> grubConfigs = new ConcurrentHashMap<>();
    private Daemon capture;
    private Path pcap;
    private String packets = "";

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

    /**
     * Starts capturing DHCP and TFTP requests on the VLAN bridge (inside the lab namespace, into {@code file}); called
     * once the bridge exists, before any node is powered on.
     */
    void startCapture(String bridge, Path file) {
        pcap = file;
        capture = Daemon.start("tcpdump", file.resolveSibling(file.getFileName() + ".log"), List.of("ip", "netns", "exec", ns,
                "tcpdump", "-i", bridge, "-n", "-U", "--immediate-mode", "-Z", "root", "-s", "1500", "-w", file.toString(), "udp port 67 or udp port 68 or udp dst port 69"));
    }

    /** Stops the capture (by PID) and reads it: every packet with its DHCP options and TFTP request names. */
    void stopCapture() {
        if (capture == null) {
            return;
        }
        capture.close();
        capture = null;
        CommandResult r = Command.run(Duration.ofSeconds(60), List.of("tcpdump", "-r", pcap.toString(), "-n", "-v", "-e"));
        assertThat(r.exitCode()).as("tcpdump -r: %s", r.stderr()).isZero();
        packets = r.stdout();
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

    /**
     * Everything about UEFI node {@code i} after the lab finished; {@code console} is its cleaned serial log,
     * {@code headConsole} the head node's (the agent's log goes there), {@code address} the node's fixed address.
     */
    void assertInstalled(int i, String console, NodeProgress progress, String headConsole, String address) {
        LabFirmware firmware = settings.nodeFirmware(i);
        String mac = settings.nodeMac(i);
        String what = settings.nodeName(i) + " (" + firmware.word() + ")";
        assertThat(progress).as(what).isEqualTo(NodeProgress.BOOTED_FROM_DISK);
        List<String> dhcp = dhcpPackets(mac);
        assertThat(dhcp).as("%s: DHCP packets of its MAC on the VLAN bridge", what).isNotEmpty();
        if (firmware.httpBoot()) {
            // UEFI HTTP boot: OVMF's PXE is off; it asks with architecture 16 and class HTTPClient, and dhcpd's answer
            // carries option 60 "HTTPClient" and the URL of shim; OVMF downloads it over HTTP, shim then GRUB
            assertThat(dhcp).as("%s: a request with option 93 = 16 (x86-64 UEFI HTTP) and class HTTPClient", what)
                    .anySatisfy(p -> assertThat(p).contains("BOOTP/DHCP, Request from " + mac, "Vendor-Class (60), length 33: \"HTTPClient:Arch:00016:")
                            .containsPattern("ARCH \\(93\\), length 2: 16(\n|$)"));
            assertThat(dhcp).as("%s: the answer to it names HTTPClient and the URL of shim", what)
                    .anySatisfy(p -> assertThat(p).contains("BOOTP/DHCP, Reply", "Vendor-Class (60), length 10: \"HTTPClient\"")
                            .contains("file \"http://" + head + "/shimx64.efi\""));
            assertThat(dhcp).as("%s never asked as a PXE client", what).noneSatisfy(p -> assertThat(p).contains("PXEClient"));
            assertThat(console).as(what).contains("Start HTTP Boot over IPv4", "URI: http://" + head + "/shimx64.efi")
                    .doesNotContain("Start PXE over IPv4");
            assertThat(headConsole).as("%s: shim and GRUB over HTTP", what)
                    .containsPattern("http: sent /var/lib/tftpboot/shimx64\\.efi to " + Pattern.quote(address) + ": status 200")
                    .containsPattern("http: sent /var/lib/tftpboot/grubx64\\.efi to " + Pattern.quote(address) + ": status 200");
        } else {
            // OVMF's own PXE (dhcpd's arch 7 branch): it names the boot file
            assertThat(dhcp).as("%s: a PXE request with option 93 = 7", what)
                    .anySatisfy(p -> assertThat(p).contains("BOOTP/DHCP, Request from " + mac, "\"PXEClient:Arch:00007:")
                            .containsPattern("ARCH \\(93\\), length 2: 7(\n|$)"));
            assertThat(console).as(what).contains("Start PXE over IPv4").contains("NBP filename is shimx64.efi");
        }
        assertThat(console).as(what).contains("headnode: GRUB install config for " + mac)
                .contains("headnode: kernel and initrd over HTTP from " + head)
                .doesNotContain("pxelinux.0", "over HTTP from " + head + " failed", "timeout reading", "prohibited by secure boot policy");
        assertThat(grubConfigs.get(i)).as("%s: per-MAC GRUB config fetched over TFTP during the install", what).isNotNull()
                .startsWith("# headnode-agent install config for " + mac)
                .contains("linux (http," + head + ")/lab/vmlinuz", "initrd (http," + head + ")/lab/initrd.img").doesNotContain("tftp");
        // Kernel and initrd over HTTP, under Secure Boot too (Debian 13's GRUB has http built in): the agent's access
        // record names this node's address and the whole file; no TFTP request for them came from anyone
        for (String f : List.of("vmlinuz", "initrd.img")) {
            Matcher sent = Pattern.compile("http: sent " + Pattern.quote(LAB_TREE + f) + " to " + Pattern.quote(address) + ": status 200, (\\d+) bytes")
                    .matcher(headConsole);
            assertThat(sent.find()).as("%s: the agent's record of %s sent over HTTP to %s", what, f, address).isTrue();
            assertThat(Long.parseLong(sent.group(1))).as(what + " " + f).isPositive();
            assertThat(tftpRequests()).as("%s: TFTP read requests on the VLAN", what).noneSatisfy(r -> assertThat(r).contains("lab/" + f));
        }
        assertThat(count(console, NodeProgress.INSTALLER_START)).as("%s installed exactly once", what).isEqualTo(1);
        assertThat(count(console, NodeProgress.CALLBACK_ACCEPTED)).as("%s: one accepted callback", what).isEqualTo(1);
        assertThat(console).as(what).contains("headnode-installer: firmware uefi");
        if (firmware.secureBoot()) {
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

    /** The captured DHCP packets (tcpdump -v, one string each) to or from {@code mac}. */
    List<String> dhcpPackets(String mac) {
        List<String> out = new ArrayList<>();
        for (String p : packetTexts()) {
            if (p.contains("BOOTP/DHCP") && p.contains("Client-Ethernet-Address " + mac)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The captured TFTP read requests (tcpdump prints each as {@code RRQ "<file>" ...}). */
    List<String> tftpRequests() {
        List<String> out = new ArrayList<>();
        for (String p : packetTexts()) {
            if (p.contains(" RRQ \"")) {
                out.add(p);
            }
        }
        return out;
    }

    /** The capture split into packets: tcpdump -v starts each with a timestamp at the start of a line. */
    private List<String> packetTexts() {
        assertThat(packets).as("the capture was read (stopCapture)").isNotEmpty();
        return List.of(packets.split("\n(?=\\d{2}:\\d{2}:\\d{2}\\.)"));
    }

    /** Whether the capture file exists and holds something (for the report when a run fails early). */
    boolean captured() {
        return pcap != null && Files.exists(pcap);
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
