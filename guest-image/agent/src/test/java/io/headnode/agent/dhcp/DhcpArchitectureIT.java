package io.headnode.agent.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headnode.agent.TestConfigs;
import io.headnode.agent.render.Templates;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.contract.Ipv4Cidr;
import io.headnode.contract.MacAddress;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered dhcpd.conf under the real dhcpd: which boot file each client architecture (DHCP option 93) gets,
 * asked by busybox udhcpc with the vendor class and option 93 the firmware sends (docs/design/uefi-boot.md,
 * section 1). Server and client in two namespaces of the test's own, joined by a veth pair.
 */
class DhcpArchitectureIT {
    static final String MAC = "52:54:00:99:00:01";
    @TempDir
    static Path dir;
    static NetworkNamespace server;
    static NetworkNamespace client;
    static Path dhcpdLog;

    @BeforeAll
    static void start() throws Exception {
        server = NetworkNamespace.create();
        client = NetworkNamespace.create();
        server.exec("ip", "link", "add", "srv-eth", "type", "veth", "peer", "name", "cl-eth", "netns", client.name());
        server.exec("ip", "addr", "add", "10.0.5.1/24", "dev", "srv-eth");
        server.exec("ip", "link", "set", "srv-eth", "up");
        client.exec("ip", "link", "set", "cl-eth", "address", MAC);
        client.exec("ip", "link", "set", "cl-eth", "up");
        IscDhcpBackend b = new IscDhcpBackend(TestConfigs.rootedIn(dir), new ProcessCommandRunner(), new Templates(null), Clock.systemUTC());
        DhcpPlan plan = new DhcpPlan("srv-eth", Ipv4Cidr.parse("10.0.5.1/24"), DhcpPlan.BootChoice.served("10.0.5.1", 80),
                List.of(new DhcpHost(MacAddress.parse(MAC), "10.0.5.2")));
        assertThat(b.apply(plan)).isInstanceOf(DhcpBackend.ApplyResult.Replaced.class);   // passed dhcpd -t
        Path leases = dir.resolve("dhcpd.leases");
        Files.createFile(leases);
        dhcpdLog = dir.resolve("dhcpd.log");
        server.start("dhcpd", dhcpdLog, "dhcpd", "-4", "-f", "-d", "-cf", b.confFile().toString(), "-lf", leases.toString(),
                "-pf", dir.resolve("dhcpd.pid").toString(), "srv-eth");
        await().atMost(Duration.ofSeconds(20)).until(() -> server.exec("ss", "-lnu").stdout().contains(":67 "));
        Path script = dir.resolve("udhcpc.sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = bound ] && printf 'ip=%s file=%s vendor=%s\\n' \"$ip\" \"${boot_file:-none}\" \"${vendor:-none}\"\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** One DHCP exchange; returns the script's "ip=... file=... vendor=..." line (vendor: option 60 in the answer). */
    static String ask(String vendorClass, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("busybox", "udhcpc", "-i", "cl-eth", "-f", "-q", "-n", "-t", "3", "-T", "1",
                "-s", dir.resolve("udhcpc.sh").toString(), "-O", "60"));
        if (vendorClass != null) {
            cmd.addAll(List.of("-V", vendorClass));
        }
        for (String x : extra) {
            cmd.addAll(List.of("-x", x));
        }
        return client.run(Duration.ofSeconds(20), cmd.toArray(String[]::new)).stdout().lines()
                .filter(l -> l.startsWith("ip=")).findFirst().orElse("no lease");
    }

    @Test
    void eachArchitectureGetsItsBootFile() {
        // x86 BIOS PXE (SeaBIOS + iPXE also sends user-class iPXE: still pxelinux.0)
        assertThat(ask("PXEClient:Arch:00000:UNDI:002001", "0x5d:0000")).startsWith("ip=10.0.5.2 file=pxelinux.0 ");
        assertThat(ask("PXEClient:Arch:00000:UNDI:002001", "0x5d:0000", "0x4d:69505845")).contains("file=pxelinux.0 ");
        // x86-64 UEFI PXE (OVMF, with or without Secure Boot), and the other x86-64 code
        assertThat(ask("PXEClient:Arch:00007:UNDI:003000", "0x5d:0007")).contains("file=shimx64.efi vendor=none");
        assertThat(ask("PXEClient:Arch:00009:UNDI:003000", "0x5d:0009")).contains("file=shimx64.efi ");
        // iPXE's EFI driver: arch 7 and user-class iPXE gets GRUB directly, never pxelinux.0
        assertThat(ask("PXEClient:Arch:00007:UNDI:003010", "0x5d:0007", "0x4d:69505845")).contains("file=grubx64.efi ");
        // UEFI HTTP boot: a URL and option 60 HTTPClient
        assertThat(ask("HTTPClient:Arch:00016:UNDI:003000", "0x5d:0010"))
                .contains("file=http://10.0.5.1/shimx64.efi vendor=HTTPClient");
        // no option 93 at all: as before (old PXE ROMs)
        assertThat(ask(null)).contains("file=pxelinux.0 ");
        // arm64 UEFI: a lease, no boot file, and the line the agent turns into its status
        assertThat(ask("PXEClient:Arch:00011:UNDI:003000", "0x5d:000b")).startsWith("ip=10.0.5.2 file=none ");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(new UnservedArchitectures(dhcpdLog).scan()).isEqualTo(Map.of(MacAddress.parse(MAC), 11)));
    }
}
