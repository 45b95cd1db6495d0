package io.headnode.orchestrator.disk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The head node's disk: a qcow2 overlay whose backing file is the guest image, made with qemu-img in constant time
 * whatever the image size. Created under a temporary name and renamed, so a crash never leaves a half-made overlay
 * under the real name. Reads an overlay's backing file for the disk step and makes or removes overlays for its actions.
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

    public boolean exists(Path overlay) {
        return Files.exists(overlay);
    }

    /** The name an overlay is made under before it is renamed into place; a crash can leave one behind. */
    public static Path partial(Path overlay) {
        return overlay.resolveSibling(overlay.getFileName() + ".partial");
    }

    /** The overlay's backing file (from its qcow2 header, else from qemu-img); empty when it has none. */
    public Optional<String> backingFile(Path overlay) {
        return QcowHeader.backingFile(overlay).or(() -> info(overlay).backingFile());
    }

    /** Makes {@code overlay} over {@code image} ({@code -F} the image's detected format), under a temporary name then renamed. */
    public void create(Path image, Path overlay) throws IOException {
        String format = info(image).format();
        Files.createDirectories(overlay.getParent());
        Path partial = partial(overlay);
        Files.deleteIfExists(partial);
        CommandResult r = runner.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", image.toString(), "-F", format,
                partial.toString()), TIMEOUT);
        if (!r.ok()) {
            Files.deleteIfExists(partial);
            throw new CommandException("cannot create overlay " + overlay + ": " + r.describe());
        }
        Files.move(partial, overlay, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes the overlay and a half-made one; never the image under it. */
    public void remove(Path overlay) throws IOException {
        Files.deleteIfExists(partial(overlay));
        Files.deleteIfExists(overlay);
    }
}
