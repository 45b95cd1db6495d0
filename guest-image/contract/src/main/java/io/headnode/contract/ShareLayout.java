package io.headnode.contract;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files of one VLAN's share, as both sides see them: on the host under /var/lib/headnode-config/N,
 * in the guest under the 9p mount point (tag /etc/moc, mounted read-only).
 */
public record ShareLayout(Path root) {
    /** The 9p mount tag the domain exports the share under (a tag, not a path). */
    public static final String MOUNT_TAG = "/etc/moc";
    /** Per-BMC driver and secrets; mode 0600. */
    public static final String CREDENTIALS_FILE = "credentials.conf";

    public ShareLayout {
        Objects.requireNonNull(root, "root is null");
    }

    public Path machines() {
        return root.resolve(MachineList.FILE_NAME);
    }

    public Path config() {
        return root.resolve(HeadnodeConfig.FILE_NAME);
    }

    public Path credentials() {
        return root.resolve(CREDENTIALS_FILE);
    }

    /** The admins' ssh keys for root on the head node ({@link AuthorizedKeys}); optional. */
    public Path authorizedKeys() {
        return root.resolve(AuthorizedKeys.FILE_NAME);
    }

    /** The VLAN's install-token key ({@link InstallKey}); mode 0600. Absent from shares written before issue 11. */
    public Path installKey() {
        return root.resolve(InstallKey.FILE_NAME);
    }

    public Path requests() {
        return root.resolve(InstallRequest.DIRECTORY);
    }
}
