package io.headnode.orchestrator.net;

import java.util.Optional;

/** One network interface as iproute2 reports it. */
public record Link(String name, String kind, boolean up, Optional<String> master, Optional<Integer> vlanId, Optional<String> parent) {
}
