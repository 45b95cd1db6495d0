package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.share.ShareDirectory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Objects;

/** Step 2: the share directory exists (before the domain is defined) and QEMU can read it. */
public final class ShareStep implements Step {
    private final ShareDirectory share;

    @Inject
    public ShareStep(ShareDirectory share) {
        this.share = Objects.requireNonNull(share, "share is null");
    }

    @Override
    public String name() {
        return "share";
    }

    @Override
    public StepResult apply(StepContext ctx) throws IOException {
        return StepResult.of(name(), ctx.dryRun(), share.ensure(ctx.spec().vlan(), ctx.dryRun()));
    }
}
