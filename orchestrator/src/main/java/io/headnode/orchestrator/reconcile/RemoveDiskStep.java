package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.disk.OverlayDisk;
import io.headnode.orchestrator.reconcile.action.RemoveOverlay;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Objects;

/** Delete step 2: remove the overlay (and a half-made one), never the guest image under it. */
public final class RemoveDiskStep implements Step {
    private final OverlayDisk disk;
    private final HeadnodePaths paths;

    @Inject
    public RemoveDiskStep(OverlayDisk disk, HeadnodePaths paths) {
        this.disk = Objects.requireNonNull(disk, "disk is null");
        this.paths = Objects.requireNonNull(paths, "paths is null");
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public Plan plan(StepContext ctx) {
        Path overlay = paths.overlay(ctx.spec().vlan());
        return disk.exists(overlay) || disk.exists(OverlayDisk.partial(overlay)) ? Plan.of(new RemoveOverlay(disk, overlay)) : Plan.none();
    }
}
