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
    /** What shim loads from the directory it came from: Debian's signed GRUB netboot image; iPXE's EFI driver gets it directly. */
    public static final String GRUB = "grubx64.efi";
    /** GRUB's prefix (built into grubnetx64): it reads {@code /grub/grub.cfg}, which loads the per-MAC file. */
    public static final String GRUB_DIR = "grub";
    /** The GRUB config grubnetx64 reads by itself, relative to the tftp root. */
    public static final String GRUB_CFG = GRUB_DIR + "/grub.cfg";
    /** GRUB's http module (from grub-efi-amd64-bin): loadable only without Secure Boot. */
    public static final String GRUB_HTTP_MOD = GRUB_DIR + "/x86_64-efi/http.mod";

    private BootFiles() {
    }
}
