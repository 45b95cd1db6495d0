package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import java.util.Objects;

/** The domain {@code name}: the persistent definition removed. */
public record UndefineDomain(Hypervisor hypervisor, String name) implements Action {
    public UndefineDomain {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
    }

    @Override
    public String describe() {
        return "undefine " + name;
    }

    @Override
    public void apply() {
        hypervisor.undefine(name);
    }
}
