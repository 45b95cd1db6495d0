package io.headnode.lab;

import java.util.Locale;

/**
 * The firmware of the lab's nodes ({@code headnode lab up --firmware}): legacy BIOS (SeaBIOS), UEFI (Debian's OVMF),
 * UEFI with Secure Boot (OVMF's secboot build with Microsoft's keys enrolled, SMM), UEFI HTTP boot (the Secure Boot
 * build with its PXE boot options switched off through fw_cfg, so its first network boot option is HTTPv4: DHCP
 * option 93 = 16), or {@code mixed}: BIOS, UEFI, Secure Boot, HTTP boot in turn (node 1, 2, 3, 4, then again). See
 * docs/design/uefi-boot.md, sections 5, 6 and 13.
 */
public enum LabFirmware {
    BIOS, UEFI, SECUREBOOT, HTTPBOOT, MIXED;

    static final String OVMF = "/usr/share/OVMF/";
    /** OVMF's fw_cfg switches (edk2 OvmfPkg/Library/PxeBcPcdProducerLib) that turn its PXE boot options off. */
    public static final java.util.List<String> PXE_OFF = java.util.List.of("opt/org.tianocore/IPv4PXESupport", "opt/org.tianocore/IPv6PXESupport");

    /** The firmware of node {@code i} (1-based); never {@link #MIXED}. */
    public LabFirmware forNode(int i) {
        return this == MIXED ? values()[(i - 1) % MIXED.ordinal()] : this;
    }

    public boolean uefi() {
        return this == UEFI || this == SECUREBOOT || this == HTTPBOOT;
    }

    /** OVMF's Secure Boot build with Microsoft's keys (the HTTP boot node runs it too). */
    public boolean secureBoot() {
        return this == SECUREBOOT || this == HTTPBOOT;
    }

    /** UEFI HTTP boot: OVMF's PXE switched off, so it boots over HTTP (DHCP option 93 = 16). */
    public boolean httpBoot() {
        return this == HTTPBOOT;
    }

    /** OVMF's read-only code image. */
    public String loader() {
        return OVMF + (secureBoot() ? "OVMF_CODE_4M.secboot.fd" : "OVMF_CODE_4M.fd");
    }

    /** The template libvirt copies a node's own variable store from (Microsoft's keys for Secure Boot). */
    public String varsTemplate() {
        return OVMF + (secureBoot() ? "OVMF_VARS_4M.ms.fd" : "OVMF_VARS_4M.fd");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code bios|uefi|secureboot|httpboot|mixed} (the command line's word). */
    public static LabFirmware of(String word) {
        for (LabFirmware f : values()) {
            if (f.word().equals(word)) {
                return f;
            }
        }
        throw new IllegalArgumentException("firmware '" + word + "' is not one of bios, uefi, secureboot, httpboot, mixed");
    }
}
