package io.headnode.orchestrator.libvirt;

import io.headnode.orchestrator.config.HostConfig;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Connects to libvirt on first use, so commands that never touch libvirt (machines push) never need it. */
public final class LazyHypervisor implements Hypervisor {
    private final String uri;
    private final Function<String, Hypervisor> connector;
    private Hypervisor delegate;

    @Inject
    public LazyHypervisor(HostConfig config) {
        this(config.connect(), LibvirtHypervisor::connect);
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

    /**
     * Runs one call; a lost connection (libvirtd restarted: VIR_ERR_RPC, VIR_ERR_NO_CONNECT) drops the handle so the
     * next call connects again. Without this a long-running {@code reconcile --every} would fail every pass after
     * a libvirtd restart.
     */
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

    private void run(java.util.function.Consumer<Hypervisor> op) {
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
    public void define(String xml) {
        run(h -> h.define(xml));
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
    public List<String> domainNames() {
        return call(Hypervisor::domainNames);
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
