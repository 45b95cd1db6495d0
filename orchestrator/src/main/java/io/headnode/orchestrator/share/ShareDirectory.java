package io.headnode.orchestrator.share;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.ShareLayout;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import io.headnode.orchestrator.reconcile.action.MakeFileReadable;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;

/**
 * The per-VLAN share on the host ({@code <share-root>/N}): must exist before the domain is defined (QEMU fails
 * with "Connection reset by peer" otherwise) and be readable by the QEMU user through every parent directory.
 * Reads the share's actual state for the share steps (their actions make the changes) and writes secret files.
 */
public final class ShareDirectory {
    private final HeadnodePaths paths;
    private final HostConfig config;

    @Inject
    public ShareDirectory(HeadnodePaths paths, HostConfig config) {
        this.paths = Objects.requireNonNull(paths, "paths is null");
        this.config = Objects.requireNonNull(config, "config is null");
    }

    public ShareLayout layout(Vlan vlan) {
        return new ShareLayout(paths.shareDir(vlan));
    }

    /** The directories a share needs, outermost first: the share root, then the VLAN's share. */
    public List<Path> directories(Vlan vlan) {
        return List.of(config.shareRoot(), paths.shareDir(vlan));
    }

    /**
     * The image catalog (image-dir): one for every head node, exported read-only to each as the second share, so it
     * must exist and be readable by QEMU's user before a domain starts. Its content belongs to {@code headnode images}.
     */
    public Path imageDirectory() {
        return config.imageDir();
    }

    /** How a share directory is now. */
    public enum DirectoryState {
        MISSING,
        /** Exists, but others (the QEMU user) cannot read and enter it. */
        NOT_READABLE,
        READY
    }

    public DirectoryState state(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return DirectoryState.MISSING;
        }
        return Files.getPosixFilePermissions(dir).containsAll(Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE))
                ? DirectoryState.READY : DirectoryState.NOT_READABLE;
    }

    /**
     * The share's regular files (top level and requests/) that QEMU's user could not read, each with the mode that
     * repairs it: 0600 for the secret files (credentials.conf, install.key) when that user owns it (their documented
     * mode), else 0644; an install.key QEMU's user does not own is never made world-readable (it is left for the
     * agent to report). Symlinks and other non-regular entries are left alone (the agent refuses them).
     */
    public Map<Path, Set<PosixFilePermission>> unreadableFiles(Vlan vlan) throws IOException {
        Map<Path, Set<PosixFilePermission>> repairs = new TreeMap<>();
        UserPrincipal qemu = qemuUser();
        ShareLayout layout = layout(vlan);
        for (Path dir : List.of(layout.root(), layout.requests())) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS);
                    boolean ownedByQemu = qemu != null && Files.getOwner(f, LinkOption.NOFOLLOW_LINKS).equals(qemu);
                    boolean secret = f.equals(layout.credentials()) || f.equals(layout.installKey());
                    if (secret && ownedByQemu) {
                        if (!perms.contains(PosixFilePermission.OWNER_READ)) {
                            repairs.put(f, MakeFileReadable.SECRET);
                        }
                    } else if (f.equals(layout.installKey())) {
                        continue;
                    } else if (!perms.contains(PosixFilePermission.OTHERS_READ) && !(ownedByQemu && perms.contains(PosixFilePermission.OWNER_READ))) {
                        repairs.put(f, MakeFileReadable.PLAIN);
                    }
                }
            }
        }
        return repairs;
    }

    /** The share's requests/ directory, when it exists. */
    public Optional<Path> requestsDirectory(Vlan vlan) {
        Path r = layout(vlan).requests();
        return Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS) ? Optional.of(r) : Optional.empty();
    }

    /** Whether the share of {@code vlan} has an install.key (any kind of entry: a wrong one is the agent's to refuse). */
    public boolean hasInstallKey(Vlan vlan) {
        return Files.exists(layout(vlan).installKey(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether the share of {@code vlan} has a headnode.conf. */
    public boolean hasConfig(Vlan vlan) {
        return Files.exists(layout(vlan).config());
    }

    /** Whether the share of {@code vlan} exists at all. */
    public boolean exists(Vlan vlan) {
        return Files.exists(paths.shareDir(vlan));
    }

    public String qemuUserName() {
        return config.qemuUser();
    }

    /** Every parent of the share root must let the QEMU user through, or QEMU cannot open the share. */
    public void checkParentsTraversable() throws IOException {
        Path root = config.shareRoot();
        UserPrincipal qemu = qemuUser();
        for (Path p = root.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (!Files.isDirectory(p)) {
                continue;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            boolean ownerOk = qemu != null && Files.getOwner(p).equals(qemu) && perms.contains(PosixFilePermission.OWNER_EXECUTE);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE) && !ownerOk) {
                throw new AccessDeniedException(p.toString(), null, "permission denied: QEMU user " + config.qemuUser()
                        + " cannot enter " + p + " (mode " + PosixFilePermissions.toString(perms) + "), so it cannot read the shares");
            }
        }
    }

    /**
     * Writes a secret file into the share: mode 0600, owned by the QEMU user (with accessmode 'mapped' QEMU reads
     * the share as that user, so nobody else on the host can read it). Atomic; an unchanged file is not rewritten.
     */
    public boolean writeSecret(Path target, byte[] content) throws IOException {
        boolean written = AtomicFiles.writeIfChanged(target, content, PosixFilePermissions.fromString("rw-------"));
        UserPrincipal qemu = qemuUser();
        if (qemu == null) {
            throw new IOException("user " + config.qemuUser() + " does not exist: cannot give " + target + " to QEMU");
        }
        if (!Files.getOwner(target).equals(qemu)) {
            Files.setOwner(target, qemu);
            written = true;
        }
        return written;
    }

    private UserPrincipal qemuUser() {
        try {
            return config.shareRoot().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(config.qemuUser());
        } catch (IOException e) {
            return null;
        }
    }
}
