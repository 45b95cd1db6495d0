package io.headnode.lab;

import java.util.regex.Pattern;

/**
 * How far a lab node has come, read from its serial console log. The stages follow the seed's flow: firmware,
 * PXELINUX (fetched over TFTP from the head node), the installer (loaded over HTTP), its accepted callback, and
 * finally the boot from the local disk, whose boot stub prints the marker on a line of its own.
 */
public enum NodeProgress {
    OFF("not powered on yet"),
    FIRMWARE("firmware running"),
    PXELINUX("PXELINUX loaded"),
    GRUB("GRUB loaded its install config"),
    INSTALLER("installer running"),
    INSTALLED("installed, callback accepted"),
    BOOTED_FROM_DISK("rebooted from its disk"),
    FAILED("installer failed");

    public static final String PXELINUX_BANNER = "PXELINUX ";
    /** The first line of a per-MAC GRUB config that the lab profile's grub.vm prints. */
    public static final String GRUB_INSTALL = "headnode: GRUB install config";
    public static final String INSTALLER_START = "headnode-installer: start";
    public static final String CALLBACK_ACCEPTED = "headnode-installer: callback accepted";
    public static final String INSTALLER_FAILED = "headnode-installer: FAILED";
    public static final String DISK_MARKER = "HEADNODE-DISK-MARKER";
    /** The deploy ramdisk of the `image` profile, and the node image's own first boot. */
    public static final String DEPLOY_START = "headnode-deploy: start";
    public static final String DEPLOY_ACCEPTED = "headnode-deploy: callback accepted";
    public static final String DEPLOY_FAILED = "headnode-deploy: FAILED";
    private static final Pattern LOGIN = Pattern.compile("(?m)^node-[0-9a-f]{6} login: ");
    /**
     * The disk's line: the marker at the start of a line (the installer's own log line has a prefix), printed by the
     * BIOS boot stub or by the ESP's GRUB through OVMF's console, which may put terminal escapes before it.
     */
    private static final Pattern DISK_BOOT = Pattern.compile("(?m)^(?:\\r|\\x1b\\[[0-9;?]*[A-Za-z])*" + DISK_MARKER + " ");

    private final String description;

    NodeProgress(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public static NodeProgress of(String console) {
        if (console.isEmpty()) {
            return OFF;
        }
        int deployed = console.lastIndexOf(DEPLOY_ACCEPTED);
        if (deployed >= 0) {
            return LOGIN.matcher(console).region(deployed, console.length()).find() ? BOOTED_FROM_DISK : INSTALLED;
        }
        if (console.contains(DEPLOY_FAILED)) {
            return FAILED;
        }
        if (console.contains(DEPLOY_START)) {
            return INSTALLER;
        }
        int accepted = console.lastIndexOf(CALLBACK_ACCEPTED);
        if (accepted >= 0 && DISK_BOOT.matcher(console).region(accepted, console.length()).find()) {
            return BOOTED_FROM_DISK;
        }
        if (accepted >= 0) {
            return INSTALLED;
        }
        if (console.contains(INSTALLER_FAILED)) {
            return FAILED;
        }
        if (console.contains(INSTALLER_START)) {
            return INSTALLER;
        }
        if (console.contains(GRUB_INSTALL)) {
            return GRUB;
        }
        if (console.contains(PXELINUX_BANNER)) {
            return PXELINUX;
        }
        return FIRMWARE;
    }
}
