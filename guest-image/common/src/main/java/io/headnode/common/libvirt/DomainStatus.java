package io.headnode.common.libvirt;

import java.util.Objects;

/** One reading of a domain: identity, state, autostart and its inactive (persistent) XML. */
public record DomainStatus(String name, String uuid, RunState state, boolean autostart, boolean persistent, String inactiveXml) {
    public DomainStatus {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(uuid, "uuid is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(inactiveXml, "inactiveXml is null");
    }
}
