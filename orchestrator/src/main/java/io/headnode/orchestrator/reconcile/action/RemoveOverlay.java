package io.headnode.orchestrator.reconcile.action;

import io.headnode.orchestrator.disk.OverlayDisk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** The overlay (and a half-made one left by a crash) deleted; never the image under it. */
public record RemoveOverlay(OverlayDisk disk, Path overlay) implements Action {
    public RemoveOverlay {
        Objects.requireNonNull(disk, "disk is null");
        Objects.requireNonNull(overlay, "overlay is null");
    }

    @Override
    public String describe() {
        return "remove " + overlay;
    }

    @Override
    public void apply() throws IOException {
        disk.remove(overlay);
    }
}
