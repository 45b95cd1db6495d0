package io.headnode.orchestrator.cluster;

import io.headnode.contract.Vlan;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** What a cluster member changes on its own host: the local desired state of the head nodes placed on it. */
public interface LocalHeadnodes {
    /** The VLANs this host holds a desired head node for. */
    Set<Vlan> vlans() throws IOException;

    /** Makes the local spec and share of {@code vlan} exactly these bytes; returns true when something changed. */
    boolean apply(Vlan vlan, byte[] spec, Map<String, byte[]> shareFiles) throws IOException;

    /** Forgets the VLAN here (it moved away or was deleted): the reconcile pass removes its head node. */
    void remove(Vlan vlan) throws IOException;

    /** Of {@link #vlans()}, those whose head node runs on this host now (libvirt says so). */
    Set<Vlan> running() throws IOException;

    /** Fencing: stops every head node on this host at once (libvirt destroy), before anything else; returns their VLANs. */
    Set<Vlan> fence();
}
