package io.headnode.agent.install;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * One node's install record, persisted on the guest's disk. The token is the one-time secret put into this
 * install's kickstart; {@code boots} counts kickstart fetches (network boots into the installer).
 *
 * <p>{@code powerRetries} counts power cycles of this install retried after a BMC that was unreachable;
 * {@code powerRetryAt} is when the next one is due (null: none scheduled). Both are absent (0, null) in a file saved
 * before retries existed.
 *
 * <p>An image install ({@code image} set: the `image` profile) also carries the image it writes ({@link ImageDeploy}:
 * name, sha256, size, target disk) and a second one-time token, {@code reportToken}, which the deployed OS posts on its first boot; it
 * lives while the install is active or installed (waiting for that report) and is gone once the node is active or
 * failed.
 */
public record NodeInstall(String mac, InstallState state, String requestId, String token, Instant requestedAt,
                          Instant changedAt, int boots, boolean powerPending, String detail, int powerRetries,
                          Instant powerRetryAt, ImageDeploy image, String reportToken) {
    public NodeInstall {
        Objects.requireNonNull(mac, "mac is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(changedAt, "changedAt is null");
        detail = detail == null ? "" : detail;
        if (state.active() && (token == null || requestId == null || requestedAt == null)) {
            throw new IllegalArgumentException("an active install needs a request id, token and request time");
        }
        if (powerRetries < 0) {
            throw new IllegalArgumentException("powerRetries is negative: " + powerRetries);
        }
        powerRetryAt = state.active() ? powerRetryAt : null;
        if (image != null && (state.active() || state == InstallState.INSTALLED) && reportToken == null) {
            throw new IllegalArgumentException("an image install needs its first-boot report token until it is active");
        }
    }

    /** A kickstart install (a profile other than `image`) with no power retry behind it or scheduled. */
    public NodeInstall(String mac, InstallState state, String requestId, String token, Instant requestedAt,
                       Instant changedAt, int boots, boolean powerPending, String detail) {
        this(mac, state, requestId, token, requestedAt, changedAt, boots, powerPending, detail, 0, null, null, null);
    }

    /** A kickstart install (a profile other than `image`). */
    public NodeInstall(String mac, InstallState state, String requestId, String token, Instant requestedAt,
                       Instant changedAt, int boots, boolean powerPending, String detail, int powerRetries, Instant powerRetryAt) {
        this(mac, state, requestId, token, requestedAt, changedAt, boots, powerPending, detail, powerRetries, powerRetryAt, null, null);
    }

    /** An install with no power retry behind it or scheduled; {@code image} null for a kickstart install. */
    public NodeInstall(String mac, InstallState state, String requestId, String token, Instant requestedAt,
                       Instant changedAt, int boots, boolean powerPending, String detail, ImageDeploy image, String reportToken) {
        this(mac, state, requestId, token, requestedAt, changedAt, boots, powerPending, detail, 0, null, image, reportToken);
    }

    public NodeInstall with(InstallState s, Instant at, String why) {
        boolean waitsForReport = s.active() || s == InstallState.INSTALLED;
        return new NodeInstall(mac, s, requestId, s.active() ? token : null, requestedAt, at, boots, s.active() && powerPending, why,
                powerRetries, powerRetryAt, image, waitsForReport ? reportToken : null);
    }

    public NodeInstall withBoots(int n) {
        return new NodeInstall(mac, state, requestId, token, requestedAt, changedAt, n, powerPending, detail, powerRetries, powerRetryAt,
                image, reportToken);
    }

    public NodeInstall withPower(boolean pending, InstallState s, Instant at, String why) {
        return new NodeInstall(mac, s, requestId, token, requestedAt, at, boots, pending, why, powerRetries, powerRetryAt, image, reportToken);
    }

    /** This record with {@code retries} power retries behind it and the next one due at {@code at} (null: none). */
    public NodeInstall withPowerRetry(int retries, Instant at) {
        return new NodeInstall(mac, state, requestId, token, requestedAt, changedAt, boots, powerPending, detail, retries, at, image, reportToken);
    }

    @JsonIgnore
    public boolean active() {
        return state.active();
    }

    /** An image install that called back and waits for its OS's first-boot report. */
    @JsonIgnore
    public boolean awaitingReport() {
        return state == InstallState.INSTALLED && reportToken != null;
    }
}
