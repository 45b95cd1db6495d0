package io.headnode.orchestrator;

import io.headnode.common.iproute.Link;
import io.headnode.orchestrator.net.VlanNetwork;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory VlanNetwork for tests without a kernel's bridges (test:///default): links by name, with changes recorded. */
public final class FakeVlanNetwork implements VlanNetwork {
    private final Map<String, Link> links = new LinkedHashMap<>();
    public final List<String> changes = new ArrayList<>();

    /** With the host's public bridge br0, up. */
    public FakeVlanNetwork() {
        links.put("br0", Link.of("br0", "bridge", true));
    }

    /** Puts a link as it would be found (a port another program attached, a trunk, ...). */
    public synchronized FakeVlanNetwork with(Link link) {
        links.put(link.name(), link);
        return this;
    }

    public synchronized boolean has(String name) {
        return links.containsKey(name);
    }

    @Override
    public synchronized Map<String, Link> links() {
        return Map.copyOf(links);
    }

    @Override
    public synchronized void addBridge(String bridge) {
        if (links.containsKey(bridge)) {
            throw new IllegalStateException(bridge + " exists");
        }
        changes.add("add bridge " + bridge);
        links.put(bridge, Link.of(bridge, "bridge", false));
    }

    @Override
    public synchronized void addVlanLink(String trunk, String link, int vlanId) {
        changes.add("add vlan " + link);
        links.put(link, new Link(link, "vlan", false, Optional.empty(), Optional.of(vlanId), Optional.of(trunk), Optional.empty()));
    }

    @Override
    public synchronized void setMaster(String link, String bridge) {
        changes.add("master " + link + " " + bridge);
        links.put(link, existing(link).withMaster(bridge));
    }

    @Override
    public synchronized void setUp(String link) {
        changes.add("up " + link);
        links.put(link, existing(link).withUp(true));
    }

    @Override
    public synchronized void delete(String link) {
        changes.add("delete " + link);
        existing(link);
        links.remove(link);
    }

    private Link existing(String link) {
        Link l = links.get(link);
        if (l == null) {
            throw new IllegalStateException("Device \"" + link + "\" does not exist");
        }
        return l;
    }
}
