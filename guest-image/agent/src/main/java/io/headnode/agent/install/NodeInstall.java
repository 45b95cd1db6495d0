package io.headnode.agent.install;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * One node's install record, persisted on the guest's disk. The token is the one-time secret put into this
 * install's kickstart; {@code boots} counts kickstart fetches (network boots into the installer).
 * {@code powerRetries} counts power cycles of this install retried after a BMC that timed out or was unreachable;
 * {@code powerRetryAt} is when the next one is due (null: none scheduled). Both are absent (0, null) in a file saved
 * before retries existed.
 */
public record NodeInstall(String mac, InstallState state, String requestId, String token, Instant requestedAt,
                          Instant changedAt, int boots, boolean powerPending, String detail, int powerRetries,
                          Instant powerRetryAt) {
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
    }

    /** A record with no power retry behind it or scheduled. */
    public NodeInstall(String mac, InstallState state, String requestId, String token, Instant requestedAt,
                       Instant changedAt, int boots, boolean powerPending, String detail) {
        this(mac, state, requestId, token, requestedAt, changedAt, boots, powerPending, detail, 0, null);
    }

    public NodeInstall with(InstallState s, Instant at, String why) {
        return new NodeInstall(mac, s, requestId, s.active() ? token : null, requestedAt, at, boots, s.active() && powerPending, why,
                powerRetries, powerRetryAt);
    }

    public NodeInstall withBoots(int n) {
        return new NodeInstall(mac, state, requestId, token, requestedAt, changedAt, n, powerPending, detail, powerRetries, powerRetryAt);
    }

    public NodeInstall withPower(boolean pending, InstallState s, Instant at, String why) {
        return new NodeInstall(mac, s, requestId, token, requestedAt, at, boots, pending, why, powerRetries, powerRetryAt);
    }

    /** This record with {@code retries} power retries behind it and the next one due at {@code at} (null: none). */
    public NodeInstall withPowerRetry(int retries, Instant at) {
        return new NodeInstall(mac, state, requestId, token, requestedAt, changedAt, boots, powerPending, detail, retries, at);
    }

    @JsonIgnore
    public boolean active() {
        return state.active();
    }
}
