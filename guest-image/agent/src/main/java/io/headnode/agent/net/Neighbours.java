package io.headnode.agent.net;

import io.headnode.contract.MacAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Which MAC holds an address on the private VLAN, as the head node's kernel sees it (its neighbour table). */
public interface Neighbours {
    /**
     * The MAC the kernel sends to for {@code address} on the private interface, from a table read that started after
     * this call (never an answer older than the question); empty when the address is not resolved there.
     *
     * @throws RuntimeException when the table cannot be read (callers refuse: no answer means no proof)
     */
    Optional<MacAddress> macOf(String address);

    /**
     * As {@link #macOf}, answered later without holding the caller's thread meanwhile; fails as macOf throws. This
     * default asks {@link #macOf} on the caller's thread.
     */
    default CompletableFuture<Optional<MacAddress>> macOfAsync(String address) {
        try {
            return CompletableFuture.completedFuture(macOf(address));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
