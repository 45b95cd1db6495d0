package io.headnode.orchestrator.reconcile.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * A share file given back the mode QEMU's user needs to read it: 0644 for the plain files, 0600 for a secret file
 * (credentials.conf, owned by that user). The content is never touched.
 */
public record MakeFileReadable(Path file, String user, Set<PosixFilePermission> mode) implements Action {
    public static final Set<PosixFilePermission> PLAIN = PosixFilePermissions.fromString("rw-r--r--");
    public static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");

    public MakeFileReadable {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(user, "user is null");
        mode = Set.copyOf(Objects.requireNonNull(mode, "mode is null"));
    }

    @Override
    public String describe() {
        return "make " + file + " readable by " + user + " (mode " + (mode.equals(SECRET) ? "0600" : "0644") + ")";
    }

    @Override
    public void apply() throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(file, mode);
        }
    }
}
