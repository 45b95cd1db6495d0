package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import java.util.Objects;

/** The domain {@code name}: a paused domain resumed. */
public record ResumeDomain(Hypervisor hypervisor, String name) implements Action {
    public ResumeDomain {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
    }

    @Override
    public String describe() {
        return "resume " + name;
    }

    @Override
    public void apply() {
        hypervisor.resume(name);
    }
}
