package io.headnode.agent.tftp;

/**
 * Names of the boot files in the tftpboot tree (also served over HTTP from the same root), one home for what
 * dhcpd.conf hands out and what {@link TftpTree} writes. See docs/design/uefi-boot.md.
 */
public final class BootFiles {
    /** x86 BIOS (DHCP option 93 = 0). */
    public static final String PXELINUX = "pxelinux.0";
    /** x86-64 UEFI (93 = 7 or 9) and UEFI HTTP boot (93 = 16): Debian's Microsoft-signed shim. */
    public static final String SHIM = "shimx64.efi";
    /**
     * What shim loads from the directory it came from: Debian 13's signed GRUB netboot image (GRUB 2.12, {@code http} built
     * in); iPXE's EFI driver gets it directly.
     */
    public static final String GRUB = "grubx64.efi";
    /**
     * GRUB's prefix (built into grubnetx64): it reads {@code /grub/grub.cfg} over TFTP, or over HTTP when the firmware
     * loaded it by UEFI HTTP boot; that config loads the per-MAC file.
     */
    public static final String GRUB_DIR = "grub";
    /** The GRUB config grubnetx64 reads by itself, relative to the tftp root. */
    public static final String GRUB_CFG = GRUB_DIR + "/grub.cfg";
    /**
     * Debian 12's GRUB 2.06 http module, which trees built before GRUB 2.12 served (for nodes without Secure Boot); 2.12
     * has {@code http} built in and never asks for it, and a 2.06 module does not belong beside a 2.12 GRUB: removed.
     */
    public static final String STALE_GRUB_HTTP_MOD = GRUB_DIR + "/x86_64-efi/http.mod";

    private BootFiles() {
    }
}
