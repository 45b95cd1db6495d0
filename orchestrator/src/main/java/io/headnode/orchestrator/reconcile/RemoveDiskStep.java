package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.disk.OverlayDisk;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Delete step 2: remove the overlay (never the guest image under it). */
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
    public StepResult apply(StepContext ctx) throws IOException {
        Path overlay = paths.overlay(ctx.spec().vlan());
        return StepResult.of(name(), ctx.dryRun(), disk.remove(overlay, ctx.dryRun()) ? List.of("remove " + overlay) : List.of());
    }
}
