package io.headnode.common.libvirt;

/**
 * A stream of domain lifecycle events from one libvirt URI that outlives libvirtd restarts: a subscription connects,
 * listens, and when the connection is lost connects and subscribes again (events sent while it was away are lost,
 * so {@link Listener#onSubscribed} tells the listener to catch up).
 */
public interface DomainEvents {
    /** Starts delivering events to {@code listener} (on one background thread) until the subscription is closed. */
    Subscription subscribe(Listener listener);

    /** What a subscription tells its owner, from libvirt's event thread and the subscription's own thread: keep it short and thread-safe. */
    interface Listener {
        void onEvent(DomainEvent event);

        /** The subscription is (again) in place: events from now on arrive; anything before may have been missed. */
        default void onSubscribed() {
        }

        /** The subscription is gone (libvirtd stopped, or it could not connect); it is retried with backoff. */
        default void onLost(String why) {
        }
    }

    /** An active subscription; close to stop listening. */
    interface Subscription extends AutoCloseable {
        /** Whether events are being received right now. */
        boolean subscribed();

        @Override
        void close();
    }
}
