package io.headnode.agent.share;

import io.headnode.contract.AuthorizedKeys;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.MachineList;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete, valid reading of the share's configuration files: what the agent acts on. The admins' ssh keys are
 * optional: without an authorized_keys in the share the agent leaves root's own file alone.
 */
public record ShareSnapshot(HeadnodeConfig config, MachineList machines, Optional<AuthorizedKeys> authorizedKeys) {
    public ShareSnapshot {
        Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(machines, "machines is null");
        Objects.requireNonNull(authorizedKeys, "authorizedKeys is null");
    }

    /** A share without authorized_keys. */
    public ShareSnapshot(HeadnodeConfig config, MachineList machines) {
        this(config, machines, Optional.empty());
    }
}
