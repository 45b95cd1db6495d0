package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import java.util.Objects;

/** The domain {@code name}: autostart on, so the domain comes back with the hypervisor. */
public record SetAutostart(Hypervisor hypervisor, String name) implements Action {
    public SetAutostart {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
    }

    @Override
    public String describe() {
        return "autostart " + name;
    }

    @Override
    public void apply() {
        hypervisor.setAutostart(name, true);
    }
}
