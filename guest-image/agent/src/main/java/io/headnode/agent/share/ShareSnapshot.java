package io.headnode.agent.share;

import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.MachineList;
import java.util.Objects;

/** A complete, valid reading of the share's configuration files: what the agent acts on. */
public record ShareSnapshot(HeadnodeConfig config, MachineList machines) {
    public ShareSnapshot {
        Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(machines, "machines is null");
    }
}
