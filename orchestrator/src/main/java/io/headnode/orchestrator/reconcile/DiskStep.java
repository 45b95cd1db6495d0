package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.disk.OverlayDisk;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

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
    public StepResult apply(StepContext ctx) throws IOException {
        List<String> changes = disk.ensure(ctx.spec().image(), paths.overlay(ctx.spec().vlan()), ctx.dryRun());
        if (!changes.isEmpty()) {
            // a running domain still writes to the deleted file: restart it onto the new overlay
            ctx.requestRestart();
        }
        return StepResult.of(name(), ctx.dryRun(), changes);
    }
}
