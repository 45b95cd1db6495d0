package io.headnode.orchestrator.reconcile.action;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.Vlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** A share's headnode.conf with the contract's defaults for its VLAN, written atomically (only where none exists). */
public record WriteDefaultConfig(Path file, Vlan vlan) implements Action {
    public WriteDefaultConfig {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(vlan, "vlan is null");
    }

    @Override
    public String describe() {
        return "write " + file;
    }

    @Override
    public void apply() throws IOException {
        AtomicFiles.writeIfChanged(file, HeadnodeConfig.defaults(vlan).render());
    }
}
