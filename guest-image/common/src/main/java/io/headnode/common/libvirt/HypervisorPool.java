package io.headnode.common.libvirt;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link LazyHypervisor} per libvirt URI, for callers that reach domains on several hypervisors (power control:
 * each machine names its own URI). Connections open on first use and reopen after a lost connection.
 */
public final class HypervisorPool implements AutoCloseable {
    private final Function<String, Hypervisor> connector;
    private final Map<String, Hypervisor> byUri = new ConcurrentHashMap<>();

    /** Connects with {@link LibvirtHypervisor#connect}. */
    public HypervisorPool() {
        this(LibvirtHypervisor::connect);
    }

    public HypervisorPool(Function<String, Hypervisor> connector) {
        this.connector = Objects.requireNonNull(connector, "connector is null");
    }

    /** The hypervisor at {@code uri}; nothing is opened until its first call. */
    public Hypervisor at(String uri) {
        Objects.requireNonNull(uri, "uri is null");
        return byUri.computeIfAbsent(uri, u -> new LazyHypervisor(u, connector));
    }

    /** Closes every open connection. */
    @Override
    public void close() {
        for (Hypervisor h : List.copyOf(byUri.values())) {
            h.close();
        }
        byUri.clear();
    }
}
