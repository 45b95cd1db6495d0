package io.headnode.agent.net;

import io.headnode.contract.MacAddress;
import java.util.Optional;

/** Which MAC holds an address on the private VLAN, as the head node's kernel sees it (its neighbour table). */
public interface Neighbours {
    /**
     * The MAC the kernel sends to for {@code address} on the private interface, from a table read that started after
     * this call (never an answer older than the question); empty when the address is not resolved there.
     *
     * @throws RuntimeException when the table cannot be read (callers refuse: no answer means no proof)
     */
    Optional<MacAddress> macOf(String address);
}
