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

    @Override
    public Optional<DomainStatus> lookup(String name) {
        return h().lookup(name);
    }

    @Override
    public void define(String xml) {
        h().define(xml);
    }

    @Override
    public void start(String name) {
        h().start(name);
    }

    @Override
    public void destroy(String name) {
        h().destroy(name);
    }

    @Override
    public void resume(String name) {
        h().resume(name);
    }

    @Override
    public void undefine(String name) {
        h().undefine(name);
    }

    @Override
    public void setAutostart(String name, boolean autostart) {
        h().setAutostart(name, autostart);
    }

    @Override
    public List<String> domainNames() {
        return h().domainNames();
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
