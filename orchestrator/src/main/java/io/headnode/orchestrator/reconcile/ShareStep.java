package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.share.ShareDirectory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Objects;

/** Step 2: the share directory exists (before the domain is defined) and QEMU can read it; a re-created one restarts a running domain. */
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
        java.util.List<String> changes = share.ensure(ctx.spec().vlan(), ctx.dryRun());
        if (changes.stream().anyMatch(c -> c.startsWith("create "))) {
            // a running QEMU still exports the deleted directory: restart it onto the new one
            ctx.requestRestart();
        }
        return StepResult.of(name(), ctx.dryRun(), changes);
    }
}
