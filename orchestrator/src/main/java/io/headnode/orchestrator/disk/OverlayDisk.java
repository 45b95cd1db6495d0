package io.headnode.orchestrator.disk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The head node's disk: a qcow2 overlay whose backing file is the guest image, made with qemu-img in constant time
 * whatever the image size. Created under a temporary name and renamed, so a crash never leaves a half-made overlay
 * under the real name.
 */
public final class OverlayDisk {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final CommandRunner runner;

    public OverlayDisk(CommandRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner is null");
    }

    /** Image format and backing file as qemu-img reports them. */
    public record Info(String format, Optional<String> backingFile) {
    }

    public Info info(Path file) {
        // -U: the image may be in use by a running domain (qemu holds a lock on it)
        CommandResult r = runner.run(List.of("qemu-img", "info", "-U", "--output=json", file.toString()), TIMEOUT);
        if (!r.ok()) {
            throw new CommandException("cannot read image " + file + ": " + r.describe());
        }
        try {
            JsonNode n = JSON.readTree(r.stdout());
            return new Info(n.path("format").asText(), n.hasNonNull("backing-filename")
                    ? Optional.of(n.get("backing-filename").asText()) : Optional.empty());
        } catch (IOException e) {
            throw new CommandException("cannot parse qemu-img info of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Converges {@code overlay} over {@code image}; returns the changes (empty when it already exists). */
    public List<String> ensure(Path image, Path overlay, boolean dryRun) throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new NoSuchFileException(image.toString(), null, "image " + image + " does not exist");
        }
        if (Files.exists(overlay)) {
            Optional<String> backing = QcowHeader.backingFile(overlay).or(() -> info(overlay).backingFile());
            if (!backing.equals(Optional.of(image.toString()))) {
                throw new IOException("overlay " + overlay + " has backing file " + backing.orElse("(none)") + ", not " + image
                        + ": delete the head node (headnode delete) to start from the new image");
            }
            return List.of();
        }
        List<String> changes = List.of("create overlay " + overlay + " over " + image);
        if (dryRun) {
            return changes;
        }
        String format = info(image).format();
        Files.createDirectories(overlay.getParent());
        Path partial = overlay.resolveSibling(overlay.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        CommandResult r = runner.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", image.toString(), "-F", format,
                partial.toString()), TIMEOUT);
        if (!r.ok()) {
            Files.deleteIfExists(partial);
            throw new CommandException("cannot create overlay " + overlay + ": " + r.describe());
        }
        Files.move(partial, overlay, StandardCopyOption.ATOMIC_MOVE);
        return changes;
    }

    public boolean remove(Path overlay, boolean dryRun) throws IOException {
        Files.deleteIfExists(overlay.resolveSibling(overlay.getFileName() + ".partial"));
        if (!Files.exists(overlay)) {
            return false;
        }
        if (!dryRun) {
            Files.delete(overlay);
        }
        return true;
    }
}
