package io.headnode.orchestrator.reconcile.action;

import io.headnode.contract.InstallKey;
import io.headnode.orchestrator.share.ShareDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A share's install.key (issue 11): 32 new random bytes, mode 0600, owned by QEMU's user, written atomically, and only
 * where none exists: a key is never replaced, since every head node of the VLAN derives its install tokens from it.
 */
public record WriteInstallKey(Path file, ShareDirectory share) implements Action {
    private static final SecureRandom RANDOM = new SecureRandom();

    public WriteInstallKey {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(share, "share is null");
    }

    @Override
    public String describe() {
        return "write a new install key " + file + " (mode 0600, owner " + share.qemuUserName() + ")";
    }

    @Override
    public void apply() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            share.writeSecret(file, InstallKey.generate(RANDOM).render());
        }
    }
}
