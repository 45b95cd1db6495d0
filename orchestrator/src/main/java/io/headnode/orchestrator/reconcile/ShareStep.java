package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.action.Action;
import io.headnode.orchestrator.reconcile.action.CreateDirectory;
import io.headnode.orchestrator.reconcile.action.MakeFileReadable;
import io.headnode.orchestrator.reconcile.action.MakeReadable;
import io.headnode.orchestrator.reconcile.action.WriteDefaultConfig;
import io.headnode.orchestrator.reconcile.action.WriteInstallKey;
import io.headnode.orchestrator.share.ShareDirectory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Step 2: the share directory exists (before the domain is defined) and QEMU can read it and its files (modes repaired,
 * content never touched), with a headnode.conf and the VLAN's install.key (made once, never replaced); a re-created one
 * restarts a running domain. The same for the image catalog directory, the
 * second (read-only, shared by every head node) share.
 */
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
    public Plan plan(StepContext ctx) throws IOException {
        Vlan vlan = ctx.spec().vlan();
        List<Action> actions = new ArrayList<>();
        for (Path dir : share.directories(vlan)) {
            switch (share.state(dir)) {
                case MISSING -> actions.add(new CreateDirectory(dir));
                case NOT_READABLE -> actions.add(new MakeReadable(dir, share.qemuUserName()));
                case READY -> { }
            }
        }
        share.checkParentsTraversable();
        Optional<Path> requests = share.requestsDirectory(vlan);
        if (requests.isPresent() && share.state(requests.get()) == ShareDirectory.DirectoryState.NOT_READABLE) {
            actions.add(new MakeReadable(requests.get(), share.qemuUserName()));
        }
        if (actions.stream().noneMatch(CreateDirectory.class::isInstance)) {
            // files QEMU's user cannot read (a chmod, an editor's umask): their modes are repaired, never their content
            share.unreadableFiles(vlan).forEach((file, mode) -> actions.add(new MakeFileReadable(file, share.qemuUserName(), mode)));
        }
        if (!share.hasConfig(vlan)) {
            actions.add(new WriteDefaultConfig(share.layout(vlan).config(), vlan));
        }
        if (!share.hasInstallKey(vlan)) {
            actions.add(new WriteInstallKey(share.layout(vlan).installKey(), share));
        }
        Path images = share.imageDirectory();
        switch (share.state(images)) {
            case MISSING -> actions.add(new CreateDirectory(images));
            case NOT_READABLE -> actions.add(new MakeReadable(images, share.qemuUserName()));
            case READY -> { }
        }
        if (actions.stream().anyMatch(CreateDirectory.class::isInstance)) {
            // a running QEMU still exports the deleted directory: restart it onto the new one
            ctx.requestRestart();
        }
        return Plan.of(actions);
    }
}
