package io.headnode.agent.install;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.headnode.contract.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * The install state on the guest's disk: installs.json, mode 0600 (it holds tokens), one {@link InstallBook}.
 * Saved atomically (temp file, fsync, rename: {@link AtomicFiles}); read only when {@link #load()} is called.
 * It does its I/O on the caller's thread: {@link Installs} calls it from its single disk-writer thread.
 */
public final class InstallStore {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT).build();
    private final Path file;

    public InstallStore(Path file) {
        this.file = Objects.requireNonNull(file, "file is null");
    }

    public Path file() {
        return file;
    }

    /** The saved book, or an empty one if there is no file yet. An unreadable file is an error naming it. */
    public InstallBook load() throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return InstallBook.EMPTY;
        }
        try {
            InstallBook b = JSON.readValue(content, InstallBook.class);
            return b == null ? InstallBook.EMPTY : b;
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IOException(file + ": not a valid install state: " + e.getMessage(), e);
        }
    }

    /** Replaces the file with {@code book} (unchanged content is not rewritten). */
    public void save(InstallBook book) throws IOException {
        AtomicFiles.writeIfChanged(file, JSON.writeValueAsBytes(book), PosixFilePermissions.fromString("rw-------"));
    }
}
