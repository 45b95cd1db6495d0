package io.headnode.agent.apply;

import io.headnode.agent.share.ShareMounter;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The host's image catalog, mounted read-only (the second 9p share, tag headnode-images) where the HTTP server serves
 * {@code /images/} from. Never gates: nodes that install by profile need no images. Not mounted yet is retried with
 * the mounter's backoff on every poll ({@link #maintain}). Service {@code images} in the status.
 */
public final class ImageShareStep implements ApplyStep {
    /**
     * Mount options after ro,trans=virtio,version=9p2000.L: a large msize (512 KiB; the kernel lowers it to what the
     * virtio transport takes) so an image streams in few 9p round trips. See docs/benchmarks/images.md.
     */
    public static final String MOUNT_OPTIONS = "msize=524288";
    private final ShareMounter mounter;
    private final Path mountPoint;
    private final boolean manage;
    private volatile Health health;

    /** {@code manage}: whether the agent mounts shares at all (agent.conf mount-share). */
    public ImageShareStep(ShareMounter mounter, Path mountPoint, boolean manage) {
        this.mounter = Objects.requireNonNull(mounter, "mounter is null");
        this.mountPoint = Objects.requireNonNull(mountPoint, "mountPoint is null");
        this.manage = manage;
        this.health = manage ? Health.pending("image share not mounted yet") : Health.unmanaged();
    }

    @Override
    public String name() {
        return "images";
    }

    @Override
    public boolean gates() {
        return false;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        boolean was = health.healthy() && manage;
        maintain();
        return manage && !was && health.healthy() ? StepResult.of(List.of("image share mounted at " + mountPoint)) : StepResult.UNCHANGED;
    }

    @Override
    public void maintain() {
        if (!manage) {
            return;
        }
        health = mounter.ensureMounted() ? Health.ok("mounted read-only at " + mountPoint)
                : Health.pending("image share not mounted at " + mountPoint + ": " + mounter.lastError());
    }

    @Override
    public Map<String, Health> health() {
        return Map.of("images", health);
    }
}
