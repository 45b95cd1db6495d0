package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.disk.OverlayDisk;
import io.headnode.orchestrator.reconcile.action.CreateOverlay;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Step 4: the qcow2 overlay over the guest image. A re-created overlay makes a running domain restart onto it. */
public final class DiskStep implements Step {
    private final OverlayDisk disk;
    private final HeadnodePaths paths;

    @Inject
    public DiskStep(OverlayDisk disk, HeadnodePaths paths) {
        this.disk = Objects.requireNonNull(disk, "disk is null");
        this.paths = Objects.requireNonNull(paths, "paths is null");
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public Plan plan(StepContext ctx) throws IOException {
        Path image = ctx.spec().image();
        Path overlay = paths.overlay(ctx.spec().vlan());
        if (!Files.isRegularFile(image)) {
            throw new NoSuchFileException(image.toString(), null, "image " + image + " does not exist");
        }
        if (disk.exists(overlay)) {
            Optional<String> backing = disk.backingFile(overlay);
            if (!backing.equals(Optional.of(image.toString()))) {
                throw new IOException("overlay " + overlay + " has backing file " + backing.orElse("(none)") + ", not " + image
                        + ": delete the head node (headnode delete) to start from the new image");
            }
            return Plan.none();
        }
        // a running domain still writes to the deleted file: restart it onto the new overlay
        ctx.requestRestart();
        return Plan.of(new CreateOverlay(disk, image, overlay));
    }
}
