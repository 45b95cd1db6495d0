package io.headnode.orchestrator.reconcile.action;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.spec.SpecStore;
import java.io.IOException;
import java.util.Objects;

/** The spec of a deleted head node removed, once its delete converged. */
public record ForgetSpec(SpecStore specs, Vlan vlan) implements Action {
    public ForgetSpec {
        Objects.requireNonNull(specs, "specs is null");
        Objects.requireNonNull(vlan, "vlan is null");
    }

    @Override
    public String describe() {
        return "forget the spec of VLAN " + vlan;
    }

    @Override
    public void apply() throws IOException {
        specs.remove(vlan);
    }
}
