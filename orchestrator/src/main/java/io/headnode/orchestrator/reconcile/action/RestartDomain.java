package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import java.util.Objects;

/** The domain {@code name}: a running domain stopped and started again, so it runs on what earlier actions changed. */
public record RestartDomain(Hypervisor hypervisor, String name) implements Action {
    public RestartDomain {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
    }

    @Override
    public String describe() {
        return "restart " + name + " to apply the changes above";
    }

    @Override
    public void apply() {
        hypervisor.destroy(name);
        hypervisor.start(name);
    }
}
