package io.headnode.lab;

import java.util.Locale;

/**
 * The firmware of the lab's nodes ({@code headnode lab up --firmware}): legacy BIOS (SeaBIOS), UEFI (Debian's OVMF),
 * UEFI with Secure Boot (OVMF's secboot build with Microsoft's keys enrolled, SMM), or {@code mixed}: BIOS, UEFI,
 * Secure Boot in turn (node 1, 2, 3, then again). See docs/design/uefi-boot.md, section 6.
 */
public enum LabFirmware {
    BIOS, UEFI, SECUREBOOT, MIXED;

    static final String OVMF = "/usr/share/OVMF/";

    /** The firmware of node {@code i} (1-based); never {@link #MIXED}. */
    public LabFirmware forNode(int i) {
        return this == MIXED ? values()[(i - 1) % 3] : this;
    }

    public boolean uefi() {
        return this == UEFI || this == SECUREBOOT;
    }

    /** OVMF's read-only code image. */
    public String loader() {
        return OVMF + (this == SECUREBOOT ? "OVMF_CODE_4M.secboot.fd" : "OVMF_CODE_4M.fd");
    }

    /** The template libvirt copies a node's own variable store from (Microsoft's keys for Secure Boot). */
    public String varsTemplate() {
        return OVMF + (this == SECUREBOOT ? "OVMF_VARS_4M.ms.fd" : "OVMF_VARS_4M.fd");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code bios|uefi|secureboot|mixed} (the command line's word). */
    public static LabFirmware of(String word) {
        for (LabFirmware f : values()) {
            if (f.word().equals(word)) {
                return f;
            }
        }
        throw new IllegalArgumentException("firmware '" + word + "' is not one of bios, uefi, secureboot, mixed");
    }
}
