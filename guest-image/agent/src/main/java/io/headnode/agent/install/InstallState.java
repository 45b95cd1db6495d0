package io.headnode.agent.install;

/**
 * Where a listed node stands. KNOWN: listed, nothing asked. REQUESTED: per-MAC config written, power cycle pending
 * or failed (the node installs at its next network boot). INSTALLING: power-cycled into the installer.
 * INSTALLED: the installer called back. FAILED: deadline passed or attempts used up; the node boots its disk.
 */
public enum InstallState {
    KNOWN, REQUESTED, INSTALLING, INSTALLED, FAILED;

    /** States in which the per-MAC config exists and the kickstart is served. */
    public boolean active() {
        return this == REQUESTED || this == INSTALLING;
    }

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
