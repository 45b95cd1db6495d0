package io.headnode.agent.install;

/**
 * Where a listed node stands. KNOWN: listed, nothing asked. REQUESTED: per-MAC config written, power cycle pending
 * or failed (the node installs at its next network boot). INSTALLING: power-cycled into the installer.
 * INSTALLED: the installer called back. ACTIVE: an image install's OS reported its first boot (the one-time
 * first-boot report). FAILED: deadline passed, attempts used up, the deploy ramdisk reported a failure, or an image
 * install's OS did not report before the deadline; the node boots its disk (or the default config).
 */
public enum InstallState {
    KNOWN, REQUESTED, INSTALLING, INSTALLED, ACTIVE, FAILED;

    /** States in which the per-MAC config exists and the kickstart is served. */
    public boolean active() {
        return this == REQUESTED || this == INSTALLING;
    }

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
