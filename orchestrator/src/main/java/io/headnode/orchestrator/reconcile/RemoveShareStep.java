package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.share.ShareDirectory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** Delete step 4: the share stays (machines.txt is the admin's data) unless the delete asked for --purge. */
public final class RemoveShareStep implements Step {
    private final ShareDirectory share;

    @Inject
    public RemoveShareStep(ShareDirectory share) {
        this.share = Objects.requireNonNull(share, "share is null");
    }

    @Override
    public String name() {
        return "share";
    }

    @Override
    public StepResult apply(StepContext ctx) throws IOException {
        if (!ctx.spec().purge()) {
            return StepResult.unchanged(name());
        }
        boolean removed = share.purge(ctx.spec().vlan(), ctx.dryRun());
        return StepResult.of(name(), ctx.dryRun(), removed ? List.of("purge " + share.layout(ctx.spec().vlan()).root()) : List.of());
    }
}
