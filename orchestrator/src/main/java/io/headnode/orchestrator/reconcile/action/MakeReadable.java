package io.headnode.orchestrator.reconcile.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/** A share directory made enterable and readable by the QEMU user (mode 0755). */
public record MakeReadable(Path directory, String user) implements Action {
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    public MakeReadable {
        Objects.requireNonNull(directory, "directory is null");
        Objects.requireNonNull(user, "user is null");
    }

    @Override
    public String describe() {
        return "make " + directory + " readable by " + user + " (mode 0755)";
    }

    @Override
    public void apply() throws IOException {
        Files.setPosixFilePermissions(directory, MODE);
    }
}
