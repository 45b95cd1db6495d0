package io.headnode.agent.share;

import io.headnode.contract.AuthorizedKeys;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.InstallKey;
import io.headnode.contract.MachineList;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete, valid reading of the share's configuration files: what the agent acts on. The admins' ssh keys are
 * optional: without an authorized_keys in the share the agent leaves root's own file alone. The install key is
 * optional too: without install.key (a share written before it existed) install tokens are random and only this head
 * node can check them.
 */
public record ShareSnapshot(HeadnodeConfig config, MachineList machines, Optional<AuthorizedKeys> authorizedKeys,
                            Optional<InstallKey> installKey) {
    public ShareSnapshot {
        Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(machines, "machines is null");
        Objects.requireNonNull(authorizedKeys, "authorizedKeys is null");
        Objects.requireNonNull(installKey, "installKey is null");
    }

    /** A share without install.key. */
    public ShareSnapshot(HeadnodeConfig config, MachineList machines, Optional<AuthorizedKeys> authorizedKeys) {
        this(config, machines, authorizedKeys, Optional.empty());
    }

    /** A share without authorized_keys and install.key. */
    public ShareSnapshot(HeadnodeConfig config, MachineList machines) {
        this(config, machines, Optional.empty());
    }
}
