package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import java.util.Objects;

/** The domain {@code name}: autostart on (it comes back with the hypervisor) or off (cluster mode: the service starts it). */
public record SetAutostart(Hypervisor hypervisor, String name, boolean on) implements Action {
    public SetAutostart {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
    }

    @Override
    public String describe() {
        return on ? "autostart " + name : "autostart off " + name + " (cluster mode: started by the service once ZooKeeper places it here)";
    }

    @Override
    public void apply() {
        hypervisor.setAutostart(name, on);
    }
}
