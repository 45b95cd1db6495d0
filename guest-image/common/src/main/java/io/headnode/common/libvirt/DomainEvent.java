package io.headnode.common.libvirt;

import java.util.Objects;

/**
 * One domain lifecycle event from libvirt ({@code virConnectDomainEventRegisterAny} with
 * {@code VIR_DOMAIN_EVENT_ID_LIFECYCLE}): the domain's name and what happened to it.
 */
public record DomainEvent(String domain, Type type) {
    /** libvirt's {@code virDomainEventType}, in its order. */
    public enum Type { DEFINED, UNDEFINED, STARTED, SUSPENDED, RESUMED, STOPPED, SHUTDOWN, PMSUSPENDED, CRASHED, UNKNOWN }

    public DomainEvent {
        Objects.requireNonNull(domain, "domain is null");
        Objects.requireNonNull(type, "type is null");
    }
}
