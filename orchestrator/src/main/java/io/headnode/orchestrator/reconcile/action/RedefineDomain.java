package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import java.util.List;
import java.util.Objects;

/** The domain {@code name} redefined from {@code xml} because its normalized fields differ ("vcpus: 3 -> 1"). */
public record RedefineDomain(Hypervisor hypervisor, String name, String xml, List<String> differences) implements Action {
    public RedefineDomain {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(xml, "xml is null");
        differences = List.copyOf(differences);
        if (differences.isEmpty()) {
            throw new IllegalArgumentException("a redefine needs a difference");
        }
    }

    @Override
    public String describe() {
        return "redefine " + name + ": " + String.join("; ", differences);
    }

    @Override
    public void apply() {
        hypervisor.define(xml);
    }
}
