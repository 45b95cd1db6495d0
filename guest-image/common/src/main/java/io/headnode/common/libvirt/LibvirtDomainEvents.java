package io.headnode.common.libvirt;

import io.headnode.common.libvirt.HypervisorException.Kind;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.Library;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DomainEvents} on libvirt-java's event API: libvirt's default event loop ({@link Library#initEventLoop},
 * run by one daemon thread per process, {@link Library#runEventLoop}) and, per subscription, a connection of its own
 * with a lifecycle listener ({@link Connect#addLifecycleListener}) and a close listener. When libvirtd goes away the
 * close listener fires (or keepalive declares the connection dead); the subscription's thread then frees the old
 * connection and connects again with backoff (100 ms doubling to 2 s), like {@link LazyHypervisor} does for calls.
 * The event connection is separate from a {@link Hypervisor}'s: its calls stay serialized on their own connection.
 */
public final class LibvirtDomainEvents implements DomainEvents {
    private static final Logger log = LoggerFactory.getLogger(LibvirtDomainEvents.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** How often a quiet connection is checked with virConnectIsAlive (a local check, no RPC). */
    private static final Duration ALIVE_CHECK = Duration.ofSeconds(5);
    private static Thread eventLoop;
    private final String uri;

    public LibvirtDomainEvents(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri is null");
    }

    @Override
    public Subscription subscribe(Listener listener) {
        Objects.requireNonNull(listener, "listener is null");
        LibvirtHypervisor.probeLibrary();
        startEventLoop();
        Watch w = new Watch(listener);
        Thread t = new Thread(w::run, "libvirt-events " + uri);
        t.setDaemon(true);
        t.start();
        return w;
    }

    /** Registers libvirt's default event loop (before the first event connection opens) and runs it on a daemon thread. */
    private static synchronized void startEventLoop() {
        if (eventLoop != null) {
            return;
        }
        try {
            Library.initEventLoop();
        } catch (LibvirtException e) {
            throw LibvirtErrors.wrap("cannot start libvirt's event loop", e);
        }
        eventLoop = new Thread(() -> {
            while (true) {
                try {
                    Library.runEventLoop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (LibvirtException | RuntimeException e) {
                    log.warn("libvirt event loop: {}", e.toString());
                }
            }
        }, "libvirt-event-loop");
        eventLoop.setDaemon(true);
        eventLoop.start();
    }

    /** One subscription: connects, listens until the connection is lost, connects again, until closed. */
    private final class Watch implements Subscription {
        private final Listener listener;
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile boolean subscribed;
        /** Counted down when the current connection is lost, or when the subscription closes. */
        private volatile CountDownLatch lost = new CountDownLatch(1);

        Watch(Listener listener) {
            this.listener = listener;
        }

        void run() {
            Duration backoff = FIRST_BACKOFF;
            String lastFailure = "";
            while (closed.getCount() > 0) {
                String why;
                try {
                    why = listenOnce();
                    backoff = FIRST_BACKOFF;
                    lastFailure = "";
                } catch (HypervisorException e) {
                    why = e.getMessage();
                    if (!why.equals(lastFailure)) {
                        log.warn("cannot subscribe to libvirt events at {}: {}", uri, why);   // logged when it changes only
                        lastFailure = why;
                    }
                }
                if (closed.getCount() == 0) {
                    return;
                }
                listener.onLost(why);
                try {
                    if (closed.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }

        /** Connects, subscribes and waits until the connection is lost or this is closed; returns why it ended. */
        private String listenOnce() {
            Connect c;
            try {
                c = new Connect(uri, false);
            } catch (LibvirtException e) {
                throw new HypervisorException(Kind.CANNOT_CONNECT, LibvirtErrors.wrap("cannot connect to libvirt at " + uri, e).getMessage(), e);
            }
            CountDownLatch lost = new CountDownLatch(1);
            this.lost = lost;
            if (closed.getCount() == 0) {
                lost.countDown();
            }
            AtomicReference<String> reason = new AtomicReference<>("connection closed");
            LifecycleListener lifecycle = (Domain d, org.libvirt.event.DomainEvent e) -> {
                deliver(d, e);
                return 0;
            };
            boolean registered = false;
            try {
                c.registerCloseListener((conn, r) -> {
                    reason.set("libvirt closed the connection (" + r + ")");
                    lost.countDown();
                });
                c.addLifecycleListener(lifecycle);
                registered = true;
                subscribed = true;
                log.info("subscribed to domain events at {}", uri);
                listener.onSubscribed();
                while (closed.getCount() > 0) {
                    if (lost.await(ALIVE_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    if (!c.isAlive()) {
                        reason.set("the connection is no longer alive");
                        break;
                    }
                }
                if (closed.getCount() > 0) {
                    log.warn("domain events at {} lost: {}; subscribing again", uri, reason.get());
                }
                return reason.get();
            } catch (LibvirtException e) {
                throw LibvirtErrors.wrap("cannot subscribe to domain events at " + uri, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } finally {
                subscribed = false;
                release(c, registered ? lifecycle : null);
            }
        }

        /** Runs on libvirt's event thread: the callback's domain handle is ours to free. */
        private void deliver(Domain d, org.libvirt.event.DomainEvent e) {
            String name;
            try {
                name = d.getName();
            } catch (LibvirtException ex) {
                log.debug("event for a domain whose name cannot be read: {}", ex.toString());
                return;
            } finally {
                try {
                    d.free();
                } catch (LibvirtException ex) {
                    log.debug("freeing an event's domain handle: {}", ex.toString());
                }
            }
            DomainEvent.Type type = e.getType() == null ? DomainEvent.Type.UNKNOWN : DomainEvent.Type.valueOf(e.getType().name());
            try {
                listener.onEvent(new DomainEvent(name, type));
            } catch (RuntimeException ex) {
                log.warn("domain event listener failed on {} {}: {}", name, type, ex.toString());
            }
        }

        private void release(Connect c, LifecycleListener lifecycle) {
            try {
                if (lifecycle != null) {
                    c.removeLifecycleListener(lifecycle);
                }
            } catch (LibvirtException | RuntimeException e) {
                log.debug("removing the lifecycle listener: {}", e.toString());   // a dead connection: nothing to remove remotely
            }
            try {
                c.unregisterCloseListener();
            } catch (LibvirtException | RuntimeException e) {
                log.debug("removing the close listener: {}", e.toString());
            }
            try {
                c.close();
            } catch (LibvirtException | RuntimeException e) {
                log.debug("closing the event connection: {}", e.toString());
            }
        }

        @Override
        public boolean subscribed() {
            return subscribed;
        }

        @Override
        public void close() {
            closed.countDown();
            lost.countDown();
        }
    }
}
