package io.headnode.orchestrator.reconcile.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** A directory (and its missing parents), mode 0755. */
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
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, MakeReadable.MODE);
    }
}
