package io.headnode.orchestrator.cluster;

import java.util.regex.Pattern;

/** A hypervisor's name in the fleet: what it registers under in ZooKeeper, a DNS-label-like word. */
public record HostId(String name) implements Comparable<HostId> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");

    public HostId {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("host '" + name + "' is not a host name (a-z, 0-9, '.', '-', at most 63)");
        }
    }

    @Override
    public int compareTo(HostId other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
