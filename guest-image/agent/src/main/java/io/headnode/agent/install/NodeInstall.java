package io.headnode.agent.install;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * One node's install record, persisted on the guest's disk. The token is the one-time secret put into this
 * install's kickstart; {@code boots} counts kickstart fetches (network boots into the installer).
 */
public record NodeInstall(String mac, InstallState state, String requestId, String token, Instant requestedAt,
                          Instant changedAt, int boots, boolean powerPending, String detail) {
    public NodeInstall {
        Objects.requireNonNull(mac, "mac is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(changedAt, "changedAt is null");
        detail = detail == null ? "" : detail;
        if (state.active() && (token == null || requestId == null || requestedAt == null)) {
            throw new IllegalArgumentException("an active install needs a request id, token and request time");
        }
    }

    public NodeInstall with(InstallState s, Instant at, String why) {
        return new NodeInstall(mac, s, requestId, s.active() ? token : null, requestedAt, at, boots, s.active() && powerPending, why);
    }

    public NodeInstall withBoots(int n) {
        return new NodeInstall(mac, state, requestId, token, requestedAt, changedAt, n, powerPending, detail);
    }

    public NodeInstall withPower(boolean pending, InstallState s, Instant at, String why) {
        return new NodeInstall(mac, s, requestId, token, requestedAt, at, boots, pending, why);
    }

    @JsonIgnore
    public boolean active() {
        return state.active();
    }
}
