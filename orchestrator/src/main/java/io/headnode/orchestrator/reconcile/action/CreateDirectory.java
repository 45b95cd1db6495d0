package io.headnode.orchestrator.reconcile.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * A directory and its missing parents, each mode 0755 whatever the umask: the QEMU user must be able to enter every
 * parent of a share (the share step checks the existing ones while it plans; the ones made here are made enterable).
 */
public record CreateDirectory(Path directory) implements Action {
    public CreateDirectory {
        Objects.requireNonNull(directory, "directory is null");
    }

    @Override
    public String describe() {
        return "create " + directory;
    }

    @Override
    public void apply() throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = directory.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            Files.createDirectories(p);
            Files.setPosixFilePermissions(p, MakeReadable.MODE);
        }
        Files.setPosixFilePermissions(directory, MakeReadable.MODE);
    }
}
