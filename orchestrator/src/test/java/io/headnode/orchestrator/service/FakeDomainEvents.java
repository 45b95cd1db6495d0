package io.headnode.orchestrator.service;

import io.headnode.common.libvirt.DomainEvent;
import io.headnode.common.libvirt.DomainEvents;

/** Domain events a test sends by hand (libvirt's own are tested in EventRepairIT and LibvirtDomainEventsIT). */
final class FakeDomainEvents implements DomainEvents {
    private volatile Listener listener;
    private volatile boolean open;

    @Override
    public Subscription subscribe(Listener l) {
        listener = l;
        open = true;
        l.onSubscribed();
        return new Subscription() {
            @Override
            public boolean subscribed() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }

    void send(String domain, DomainEvent.Type type) {
        listener.onEvent(new DomainEvent(domain, type));
    }

    void reconnect() {
        listener.onLost("test");
        listener.onSubscribed();
    }

    boolean open() {
        return open;
    }
}
