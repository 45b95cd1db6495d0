package io.headnode.orchestrator.reconcile;

import io.headnode.common.iproute.Link;
import io.headnode.contract.MacAddress;
import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.net.VlanNetwork;
import io.headnode.orchestrator.net.VlanNetworkSpec;
import io.headnode.orchestrator.reconcile.action.Action;
import io.headnode.orchestrator.reconcile.action.DeleteLink;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delete step 3: remove the bridge (and vlan link) only when no other domain and no other port uses it. Our own
 * domain's tap does not count: the domain step before this one stops the domain, which removes the tap, so a dry
 * run (domain still running) plans what a real run (tap gone) does.
 */
public final class RemoveNetworkStep implements Step {
    private final VlanNetwork network;
    private final Hypervisor hypervisor;
    private final HeadnodePaths paths;

    @Inject
    public RemoveNetworkStep(VlanNetwork network, Hypervisor hypervisor, HeadnodePaths paths) {
        this.network = Objects.requireNonNull(network, "network is null");
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
        this.paths = Objects.requireNonNull(paths, "paths is null");
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public Plan plan(StepContext ctx) {
        String bridge = paths.vlanBridge(ctx.spec().vlan());
        VlanNetworkSpec spec = new VlanNetworkSpec(ctx.spec().vlan(), bridge, ctx.spec().trunk());
        Map<String, Link> links = network.links();
        List<Action> removal = new ArrayList<>();
        spec.vlanLink().filter(links::containsKey).ifPresent(l -> removal.add(new DeleteLink(network, l)));
        if (!links.containsKey(bridge)) {
            return Plan.of(removal);
        }
        removal.add(new DeleteLink(network, bridge));
        String ours = HeadnodePaths.domainName(ctx.spec().vlan());
        List<String> users = new ArrayList<>();
        hypervisor.inactiveXmlByName().forEach((name, xml) -> {
            if (!name.equals(ours) && DomainXml.parse(xml).bridges().contains(bridge)) {
                users.add("domain " + name);
            }
        });
        foreignPorts(spec, links, ctx.spec().vlanMac()).forEach(p -> users.add("port " + p));
        if (!users.isEmpty()) {
            return Plan.skip("kept bridge " + bridge + ": used by " + String.join(", ", users));
        }
        return Plan.of(removal);
    }

    /**
     * Ports on the VLAN bridge other than its vlan link and our domain's tap. libvirt gives a domain's tap the
     * guest NIC's MAC with the first octet 0xfe (so the bridge never takes the tap's address as its own).
     */
    static List<String> foreignPorts(VlanNetworkSpec spec, Map<String, Link> links, MacAddress ourNic) {
        String ourTap = "fe" + ourNic.value().substring(2);
        List<String> ports = new ArrayList<>();
        for (Link l : links.values()) {
            if (l.master().equals(Optional.of(spec.bridge())) && !spec.vlanLink().equals(Optional.of(l.name()))
                    && !l.mac().equals(Optional.of(ourTap))) {
                ports.add(l.name());
            }
        }
        return ports;
    }
}
