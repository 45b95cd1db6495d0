package io.headnode.agent.power;

import io.headnode.contract.FileStamp;
import io.headnode.contract.ShareLayout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells the reconcile loop when the share files a power call depends on (credentials.conf, and headnode.conf for its
 * power-driver) changed since the last look: the signal to try failed power cycles again. A power cycle the BMC refused
 * is not retried while these files stay the same (a BMC may lock an account out after repeated bad logins).
 */
public final class PowerSettingsWatch {
    private final ShareLayout share;
    private List<Optional<FileStamp>> seen;

    public PowerSettingsWatch(ShareLayout share) {
        this.share = Objects.requireNonNull(share, "share is null");
    }

    /** True on the first call and whenever either file was replaced, rewritten, created or removed since the last call. */
    public synchronized boolean changed() {
        List<Optional<FileStamp>> now = List.of(FileStamp.of(share.credentials()), FileStamp.of(share.config()));
        if (now.equals(seen)) {
            return false;
        }
        seen = now;
        return true;
    }
}
