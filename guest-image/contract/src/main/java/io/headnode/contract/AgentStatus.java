package io.headnode.contract;

import java.util.List;

/**
 * The guest agent's status channel, as both sides see it: the agent writes one JSON object per line to the
 * virtio-serial port named {@link #CHANNEL} (in the guest {@link #GUEST_PORT}) on every change and at least every
 * {@link #MAX_INTERVAL_SECONDS} seconds. Fields: {@code ready} (bool), {@code share} ({@link #SHARE_MOUNTED},
 * {@link #SHARE_MISSING} or {@link #SHARE_INVALID_PREFIX} + "file:line: field: problem"), {@code vlan} (int or null),
 * {@code machines} (array of {mac, state, address, since, detail}; state one of {@link #MACHINE_STATES}),
 * {@code services} (object: name to "running"/"ok"/"in force"/"complete"/"listening on ..." or a problem), {@code updated}.
 */
public final class AgentStatus {
    public static final String CHANNEL = "io.headnode.status";
    public static final String GUEST_PORT = "/dev/virtio-ports/" + CHANNEL;
    public static final int MAX_INTERVAL_SECONDS = 10;
    public static final String SHARE_MOUNTED = "mounted-ro";
    public static final String SHARE_MISSING = "missing";
    public static final String SHARE_INVALID_PREFIX = "invalid: ";
    public static final List<String> MACHINE_STATES = List.of("known", "requested", "installing", "installed", "failed");

    private AgentStatus() {
    }
}
