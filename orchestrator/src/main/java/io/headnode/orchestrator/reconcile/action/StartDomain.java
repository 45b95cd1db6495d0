package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import java.util.Locale;
import java.util.Objects;

/** The domain {@code name} started; {@code was} is the state it was found in (shut off, or after a stop of a crashed one). */
public record StartDomain(Hypervisor hypervisor, String name, RunState was) implements Action {
    public StartDomain {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(was, "was is null");
    }

    @Override
    public String describe() {
        return "start " + name + " (was " + was.name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public void apply() {
        hypervisor.start(name);
    }
}
