package io.headnode.orchestrator.reconcile.action;

import io.headnode.common.libvirt.Hypervisor;
import java.util.Objects;

/** The domain {@code name} defined from {@code xml}; {@code note} says why when it existed already (empty otherwise). */
public record DefineDomain(Hypervisor hypervisor, String name, String xml, String note) implements Action {
    public DefineDomain {
        Objects.requireNonNull(hypervisor, "hypervisor is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(xml, "xml is null");
        Objects.requireNonNull(note, "note is null");
    }

    @Override
    public String describe() {
        return "define " + name + (note.isEmpty() ? "" : " (" + note + ")");
    }

    @Override
    public void apply() {
        hypervisor.define(xml);
    }
}
