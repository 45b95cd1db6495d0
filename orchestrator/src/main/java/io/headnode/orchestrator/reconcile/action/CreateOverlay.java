package io.headnode.orchestrator.reconcile.action;

import io.headnode.orchestrator.disk.OverlayDisk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** A qcow2 overlay over the guest image. */
public record CreateOverlay(OverlayDisk disk, Path image, Path overlay) implements Action {
    public CreateOverlay {
        Objects.requireNonNull(disk, "disk is null");
        Objects.requireNonNull(image, "image is null");
        Objects.requireNonNull(overlay, "overlay is null");
    }

    @Override
    public String describe() {
        return "create overlay " + overlay + " over " + image;
    }

    @Override
    public void apply() throws IOException {
        disk.create(image, overlay);
    }
}
