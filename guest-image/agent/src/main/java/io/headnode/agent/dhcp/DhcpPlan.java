package io.headnode.agent.dhcp;

import io.headnode.agent.tftp.BootFiles;
import io.headnode.contract.Ipv4Cidr;
import java.util.List;
import java.util.Objects;

/**
 * What the DHCP server must answer on the private interface: the subnet, the boot server, the boot file per client
 * architecture and the listed hosts. {@code httpBootUrl} is the URL UEFI HTTP boot clients get (option 93 = 16).
 */
public record DhcpPlan(String iface, Ipv4Cidr server, BootChoice boot, List<DhcpHost> hosts) {
    public DhcpPlan {
        Objects.requireNonNull(iface, "iface is null");
        Objects.requireNonNull(server, "server is null");
        Objects.requireNonNull(boot, "boot is null");
        hosts = List.copyOf(hosts);
    }

    /**
     * The boot file by DHCP option 93: {@code bios} for 0, {@code uefi} for 7 and 9 ({@code uefiIpxe} when the
     * client is iPXE's EFI driver), {@code httpBootUrl} for 16. Other architectures get none (and a log line).
     */
    public record BootChoice(String bios, String uefi, String uefiIpxe, String httpBootUrl) {
        public BootChoice {
            for (String s : new String[] {bios, uefi, uefiIpxe, httpBootUrl}) {
                if (s == null || s.isEmpty() || s.length() > 200 || !s.matches("[A-Za-z0-9._:/\\-]+")) {
                    throw new IllegalArgumentException("not a boot file name or URL: '" + s + "'");
                }
            }
        }

        /** The files the tftpboot tree holds; UEFI HTTP boot clients fetch shim from the agent's HTTP server. */
        public static BootChoice served(String serverIp, int httpPort) {
            String url = "http://" + serverIp + (httpPort == 80 ? "" : ":" + httpPort) + "/" + BootFiles.SHIM;
            return new BootChoice(BootFiles.PXELINUX, BootFiles.SHIM, BootFiles.GRUB, url);
        }
    }
}
