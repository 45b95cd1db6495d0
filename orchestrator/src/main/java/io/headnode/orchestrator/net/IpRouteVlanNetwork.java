package io.headnode.orchestrator.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link VlanNetwork} with iproute2: a Linux bridge and an 802.1Q link {@code <trunk>.N} enslaved to it. */
public final class IpRouteVlanNetwork implements VlanNetwork {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A listing younger than this is reused (one `ip link show` per pass over many VLANs, not one per VLAN). */
    private static final long CACHE_NANOS = 1_000_000_000L;
    private final CommandRunner runner;
    private Map<String, Link> cached;
    private long cachedAt;

    public IpRouteVlanNetwork(CommandRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner is null");
    }

    @Override
    public List<String> ensure(VlanNetworkSpec spec, boolean dryRun) {
        Map<String, Link> links = links();
        List<List<String>> cmds = plan(spec, links);
        List<String> done = new ArrayList<>();
        for (List<String> cmd : cmds) {
            done.add(String.join(" ", cmd));
            if (!dryRun) {
                cached = null;
                CommandResult r = runner.run(cmd);
                if (!r.ok()) {
                    throw new CommandException("cannot set up the network of VLAN " + spec.vlan() + ": " + r.describe());
                }
            }
        }
        return done;
    }

    /** The commands that converge {@code links} to {@code spec}, in order. Pure: unit-testable. */
    public static List<List<String>> plan(VlanNetworkSpec spec, Map<String, Link> links) {
        List<List<String>> cmds = new ArrayList<>();
        Link br = links.get(spec.bridge());
        if (br == null) {
            cmds.add(IpCommands.addBridge(spec.bridge()));
            cmds.add(IpCommands.up(spec.bridge()));
        } else {
            if (!"bridge".equals(br.kind())) {
                throw new CommandException(spec.bridge() + " exists but is a " + br.kind() + ", not a bridge");
            }
            if (!br.up()) {
                cmds.add(IpCommands.up(spec.bridge()));
            }
        }
        if (spec.trunk().isPresent()) {
            String trunk = spec.trunk().get();
            String name = spec.vlanLink().orElseThrow();
            if (!links.containsKey(trunk)) {
                throw new CommandException("trunk interface " + trunk + " does not exist");
            }
            Link v = links.get(name);
            if (v == null) {
                cmds.add(IpCommands.addVlanLink(trunk, name, spec.vlan().id()));
                cmds.add(IpCommands.setMaster(name, spec.bridge()));
                cmds.add(IpCommands.up(name));
            } else {
                if (!"vlan".equals(v.kind()) || !v.vlanId().equals(Optional.of(spec.vlan().id()))) {
                    throw new CommandException(name + " exists but is not a vlan link with id " + spec.vlan());
                }
                if (!v.master().equals(Optional.of(spec.bridge()))) {
                    cmds.add(IpCommands.setMaster(name, spec.bridge()));
                }
                if (!v.up()) {
                    cmds.add(IpCommands.up(name));
                }
            }
        }
        return cmds;
    }

    @Override
    public List<String> foreignPorts(VlanNetworkSpec spec) {
        List<String> ports = new ArrayList<>();
        for (Link l : links().values()) {
            if (l.master().equals(Optional.of(spec.bridge())) && !spec.vlanLink().equals(Optional.of(l.name()))) {
                ports.add(l.name());
            }
        }
        return ports;
    }

    @Override
    public List<String> remove(VlanNetworkSpec spec, boolean dryRun) {
        Map<String, Link> links = links();
        List<String> done = new ArrayList<>();
        List<List<String>> cmds = new ArrayList<>();
        spec.vlanLink().filter(links::containsKey).ifPresent(l -> cmds.add(IpCommands.delete(l)));
        if (links.containsKey(spec.bridge())) {
            cmds.add(IpCommands.delete(spec.bridge()));
        }
        for (List<String> cmd : cmds) {
            done.add(String.join(" ", cmd));
            if (!dryRun) {
                cached = null;
                CommandResult r = runner.run(cmd);
                if (!r.ok()) {
                    throw new CommandException("cannot remove the network of VLAN " + spec.vlan() + ": " + r.describe());
                }
            }
        }
        return done;
    }

    @Override
    public boolean bridgeExists(String bridge) {
        Link l = links().get(bridge);
        return l != null && "bridge".equals(l.kind());
    }

    /** All links, by name (a listing at most a second old; our own changes invalidate it). */
    public synchronized Map<String, Link> links() {
        if (cached != null && System.nanoTime() - cachedAt < CACHE_NANOS) {
            return cached;
        }
        CommandResult r = runner.run(IpCommands.showAll());
        if (!r.ok()) {
            throw new CommandException("cannot list network links: " + r.describe());
        }
        cached = parseLinks(r.stdout());
        cachedAt = System.nanoTime();
        return cached;
    }

    public static Map<String, Link> parseLinks(String json) {
        Map<String, Link> out = new LinkedHashMap<>();
        try {
            for (JsonNode n : JSON.readTree(json)) {
                JsonNode info = n.path("linkinfo");
                String kind = info.path("info_kind").asText("");
                Optional<Integer> vlanId = "vlan".equals(kind) && info.path("info_data").has("id")
                        ? Optional.of(info.path("info_data").path("id").asInt()) : Optional.empty();
                boolean up = false;
                for (JsonNode f : n.path("flags")) {
                    up |= f.asText().equals("UP");
                }
                out.put(n.path("ifname").asText(), new Link(n.path("ifname").asText(), kind, up,
                        n.hasNonNull("master") ? Optional.of(n.get("master").asText()) : Optional.empty(), vlanId,
                        n.hasNonNull("link") ? Optional.of(n.get("link").asText()) : Optional.empty()));
            }
        } catch (IOException e) {
            throw new CommandException("cannot parse the output of ip -j link show: " + e.getMessage(), e);
        }
        return out;
    }
}
