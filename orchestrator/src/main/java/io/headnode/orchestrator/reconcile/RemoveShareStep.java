package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.reconcile.action.DeleteTree;
import io.headnode.orchestrator.share.ShareDirectory;
import jakarta.inject.Inject;
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
    public Plan plan(StepContext ctx) {
        if (!ctx.spec().purge() || !share.exists(ctx.spec().vlan())) {
            return Plan.none();
        }
        return Plan.of(new DeleteTree(share.layout(ctx.spec().vlan()).root()));
    }
}
