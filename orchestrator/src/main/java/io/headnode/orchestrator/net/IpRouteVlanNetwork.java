package io.headnode.orchestrator.net;

import io.headnode.common.exec.CommandRunner;
import io.headnode.common.iproute.IpRoute;
import io.headnode.common.iproute.Link;
import java.util.Map;
import java.util.Objects;

/**
 * {@link VlanNetwork} with iproute2 ({@link IpRoute}: {@code ip -json} to read, argument arrays to change), through a
 * runner that may carry the configured network-command-prefix (e.g. {@code ip netns exec NS}).
 */
public final class IpRouteVlanNetwork implements VlanNetwork {
    /** A listing younger than this is reused (one `ip link show` per pass over many VLANs, not one per VLAN). */
    private static final long CACHE_NANOS = 1_000_000_000L;
    private final IpRoute ip;
    private Map<String, Link> cached;
    private long cachedAt;

    public IpRouteVlanNetwork(CommandRunner runner) {
        this.ip = new IpRoute(Objects.requireNonNull(runner, "runner is null"), "ip");
    }

    /** All links, by name (a listing at most a second old; our own changes invalidate it). */
    @Override
    public synchronized Map<String, Link> links() {
        if (cached != null && System.nanoTime() - cachedAt < CACHE_NANOS) {
            return cached;
        }
        cached = ip.links();
        cachedAt = System.nanoTime();
        return cached;
    }

    @Override
    public synchronized void addBridge(String bridge) {
        cached = null;
        ip.addBridge(bridge);
    }

    @Override
    public synchronized void addVlanLink(String trunk, String link, int vlanId) {
        cached = null;
        ip.addVlanLink(trunk, link, vlanId);
    }

    @Override
    public synchronized void setMaster(String link, String bridge) {
        cached = null;
        ip.setMaster(link, bridge);
    }

    @Override
    public synchronized void setUp(String link) {
        cached = null;
        ip.setUp(link);
    }

    @Override
    public synchronized void delete(String link) {
        cached = null;
        ip.delete(link);
    }
}
