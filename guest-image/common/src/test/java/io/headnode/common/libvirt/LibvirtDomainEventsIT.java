package io.headnode.common.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle events on libvirt's in-memory test driver (test:///default is shared by every connection of this JVM, so
 * changes made through a {@link LibvirtHypervisor} reach the subscription's own connection). A libvirtd restart is
 * covered in the orchestrator's {@code EventRepairIT}.
 */
class LibvirtDomainEventsIT {
    private static final String NAME = "hn-events-it";

    @Test
    void defineStartDestroyAndUndefineArriveAsEventsUntilClosed() {
        List<DomainEvent> events = new CopyOnWriteArrayList<>();
        AtomicInteger subscribed = new AtomicInteger();
        DomainEvents.Listener listener = new DomainEvents.Listener() {
            @Override
            public void onEvent(DomainEvent event) {
                if (event.domain().equals(NAME)) {
                    events.add(event);
                }
            }

            @Override
            public void onSubscribed() {
                subscribed.incrementAndGet();
            }
        };
        try (LibvirtHypervisor libvirt = LibvirtHypervisor.connect("test:///default")) {
            DomainEvents.Subscription sub = new LibvirtDomainEvents("test:///default").subscribe(listener);
            try {
                await().atMost(Duration.ofSeconds(10)).until(sub::subscribed);
                assertThat(subscribed).hasValue(1);
                libvirt.define("<domain type='test'><name>" + NAME + "</name><uuid>" + UUID.randomUUID() + "</uuid>"
                        + "<memory>65536</memory><os><type>hvm</type></os></domain>");
                libvirt.start(NAME);
                libvirt.destroy(NAME);
                libvirt.undefine(NAME);
                await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 4);
                assertThat(events).extracting(DomainEvent::type).containsExactly(DomainEvent.Type.DEFINED,
                        DomainEvent.Type.STARTED, DomainEvent.Type.STOPPED, DomainEvent.Type.UNDEFINED);
            } finally {
                sub.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !sub.subscribed());
            int before = events.size();
            libvirt.define("<domain type='test'><name>" + NAME + "</name><uuid>" + UUID.randomUUID() + "</uuid>"
                    + "<memory>65536</memory><os><type>hvm</type></os></domain>");
            libvirt.undefine(NAME);
            assertThat(events).as("a closed subscription delivers nothing").hasSize(before);
        }
    }
}
