package io.headnode.orchestrator.share;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.ShareLayout;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The per-VLAN share on the host ({@code <share-root>/N}): must exist before the domain is defined (QEMU fails
 * with "Connection reset by peer" otherwise) and be readable by the QEMU user through every parent directory.
 */
public final class ShareDirectory {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
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

    /** Converges the share of {@code vlan}; returns the changes (made, or to make in a dry run). */
    public List<String> ensure(Vlan vlan, boolean dryRun) throws IOException {
        List<String> changes = new ArrayList<>();
        Path root = config.shareRoot();
        Path dir = paths.shareDir(vlan);
        for (Path p : List.of(root, dir)) {
            if (!Files.isDirectory(p)) {
                changes.add("create " + p);
                if (!dryRun) {
                    Files.createDirectories(p);
                    Files.setPosixFilePermissions(p, DIR_MODE);
                }
            } else if (!Files.getPosixFilePermissions(p).containsAll(Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE))) {
                changes.add("make " + p + " readable by " + config.qemuUser() + " (mode 0755)");
                if (!dryRun) {
                    Files.setPosixFilePermissions(p, DIR_MODE);
                }
            }
        }
        checkParentsTraversable(root);
        Path conf = layout(vlan).config();
        if (!Files.exists(conf)) {
            changes.add("write " + conf);
            if (!dryRun) {
                AtomicFiles.writeIfChanged(conf, HeadnodeConfig.defaults(vlan).render());
            }
        }
        return changes;
    }

    /** Every parent of the share root must let the QEMU user through, or QEMU cannot open the share. */
    private void checkParentsTraversable(Path root) throws IOException {
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

    /** Deletes the share of {@code vlan} and everything in it. */
    public boolean purge(Vlan vlan, boolean dryRun) throws IOException {
        Path dir = paths.shareDir(vlan);
        if (!Files.exists(dir)) {
            return false;
        }
        if (!dryRun) {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return true;
    }
}
