package io.headnode.agent.ssh;

import io.headnode.agent.apply.ApplyStep;
import io.headnode.agent.apply.StepResult;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.AuthorizedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admins' keys from the share's authorized_keys, written as root's authorized_keys (atomically, mode 0600, in a
 * 0700 directory, as sshd's StrictModes wants). Without an authorized_keys in the share, root's file is left alone.
 * Does not gate the other steps. Its upkeep refreshes what the status reports for ssh ({@link SshAccessWatch}) every
 * {@link #REFRESH_EVERY} polls.
 */
public final class AuthorizedKeysStep implements ApplyStep {
    static final int REFRESH_EVERY = 5;
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeysStep.class);
    private final Path target;
    private final SshAccessWatch access;
    private volatile Health health = Health.pending("no share applied yet");
    private int polls;

    public AuthorizedKeysStep(Path target, SshAccessWatch access) {
        this.target = Objects.requireNonNull(target, "target is null");
        this.access = Objects.requireNonNull(access, "access is null");
    }

    @Override
    public String name() {
        return "ssh-keys";
    }

    @Override
    public boolean gates() {
        return false;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        if (share.authorizedKeys().isEmpty()) {
            health = new Health(Health.unmanaged().state(), "no " + AuthorizedKeys.FILE_NAME + " in the share; " + target + " left alone");
            return StepResult.UNCHANGED;
        }
        AuthorizedKeys keys = share.authorizedKeys().get();
        try {
            Path dir = target.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            boolean written = AtomicFiles.writeIfChanged(target, keys.render(), PosixFilePermissions.fromString("rw-------"));
            health = Health.ok(keys.entries().size() + " keys");
            if (written) {
                LOG.info("{}: {} keys from the share ({})", target, keys.entries().size(),
                        String.join(", ", keys.entries().stream().map(e -> e.key().fingerprint()).toList()));
                return StepResult.of(List.of(target + ": " + keys.entries().size() + " keys"));
            }
            return StepResult.UNCHANGED;
        } catch (IOException e) {
            return new StepResult.Failed("cannot write " + target + ": " + e);
        }
    }

    @Override
    public void maintain() {
        if (polls++ % REFRESH_EVERY == 0) {
            access.refresh();
        }
    }

    @Override
    public Map<String, Health> health() {
        return Map.of("ssh-keys", health);
    }
}
