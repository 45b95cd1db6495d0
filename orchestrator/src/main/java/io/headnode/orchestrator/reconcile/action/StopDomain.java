package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import java.util.Objects;

/** The domain {@code name}: a hard stop (destroy). */
public record StopDomain(Hypervisor hypervisor, String name) implements Action {
    public StopDomain {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
    }

    @Override
    public String describe() {
        return "stop " + name;
    }

    @Override
    public void apply() {
        hypervisor.destroy(name);
    }
}
