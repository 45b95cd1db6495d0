package io.headnode.common.libvirt;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Connects on first use (so commands that never touch libvirt never need it), and connects again after a lost
 * connection: a call that fails with {@link HypervisorException.Kind#CANNOT_CONNECT} (libvirtd restarted) drops
 * the handle, so the next call opens a new one. Without this a long-running service would fail every call after
 * a libvirtd restart. The failing call itself is not retried: it may have reached libvirt.
 */
public final class LazyHypervisor implements Hypervisor {
    private final String uri;
    private final Function<String, Hypervisor> connector;
    private Hypervisor delegate;

    /** Connects with {@link LibvirtHypervisor#connect}. */
    public LazyHypervisor(String uri) {
        this(uri, LibvirtHypervisor::connect);
    }

    public LazyHypervisor(String uri, Function<String, Hypervisor> connector) {
        this.uri = Objects.requireNonNull(uri, "uri is null");
        this.connector = Objects.requireNonNull(connector, "connector is null");
    }

    private synchronized Hypervisor h() {
        if (delegate == null) {
            delegate = connector.apply(uri);
        }
        return delegate;
    }

    private <T> T call(Function<Hypervisor, T> op) {
        Hypervisor h = h();
        try {
            return op.apply(h);
        } catch (HypervisorException e) {
            if (e.kind() == HypervisorException.Kind.CANNOT_CONNECT) {
                drop(h);
            }
            throw e;
        }
    }

    private void run(Consumer<Hypervisor> op) {
        call(h -> {
            op.accept(h);
            return null;
        });
    }

    private synchronized void drop(Hypervisor broken) {
        if (delegate == broken) {
            delegate = null;
            try {
                broken.close();
            } catch (RuntimeException e) {
                // the connection is gone already
            }
        }
    }

    @Override
    public Optional<DomainStatus> lookup(String name) {
        return call(h -> h.lookup(name));
    }

    @Override
    public RunState state(String name) {
        return call(h -> h.state(name));
    }

    @Override
    public DomainStatus define(String xml) {
        return call(h -> h.define(xml));
    }

    @Override
    public void start(String name) {
        run(h -> h.start(name));
    }

    @Override
    public void destroy(String name) {
        run(h -> h.destroy(name));
    }

    @Override
    public void reset(String name) {
        run(h -> h.reset(name));
    }

    @Override
    public void resume(String name) {
        run(h -> h.resume(name));
    }

    @Override
    public void undefine(String name) {
        run(h -> h.undefine(name));
    }

    @Override
    public void setAutostart(String name, boolean autostart) {
        run(h -> h.setAutostart(name, autostart));
    }

    @Override
    public void setBootDevice(String name, BootDevice device) {
        run(h -> h.setBootDevice(name, device));
    }

    @Override
    public List<String> domainNames() {
        return call(Hypervisor::domainNames);
    }

    @Override
    public List<String> runningDomainNames() {
        return call(Hypervisor::runningDomainNames);
    }

    @Override
    public Map<String, String> inactiveXmlByName() {
        return call(Hypervisor::inactiveXmlByName);
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public synchronized void close() {
        if (delegate != null) {
            delegate.close();
            delegate = null;
        }
    }
}
