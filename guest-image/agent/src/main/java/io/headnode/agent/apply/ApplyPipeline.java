package io.headnode.agent.apply;

import io.headnode.agent.share.ShareSnapshot;
import io.headnode.common.time.WallClockDue;
import io.headnode.contract.AgentStatus.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the apply steps in order for a share snapshot. A step that has applied the snapshot is not run for it again.
 * A step that failed is retried on a later pass once its backoff has passed (not on every poll: no log flood, no
 * {@code dhcpd -t} storm); while it waits, a gating step holds back the steps after it, whose previous
 * configuration stays in force. A new snapshot is tried at once. The health of each step's services is the step's
 * own, or FAILED with the reason while its last attempt failed.
 */
public final class ApplyPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyPipeline.class);

    /** One step and what it last did. Used by the loop thread only. */
    private static final class Track {
        final ApplyStep step;
        ShareSnapshot done;
        ShareSnapshot attempted;
        Instant retryAt = Instant.MIN;
        String failure;

        Track(ApplyStep step) {
            this.step = step;
        }
    }

    private final List<Track> tracks = new ArrayList<>();
    private final Duration backoff;

    public ApplyPipeline(List<ApplyStep> steps, Duration backoff) {
        steps.forEach(s -> tracks.add(new Track(Objects.requireNonNull(s, "step is null"))));
        this.backoff = Objects.requireNonNull(backoff, "backoff is null");
    }

    /**
     * Whether {@code t}'s backoff is still running at {@code now}. The times come from the wall clock: when it jumps
     * back, the retry would lie further ahead than one backoff; then the backoff counts as passed (else a jump back of
     * an hour would hold a failed step for an hour). A jump forward only retries early.
     */
    private boolean waiting(Track t, Instant now) {
        return !WallClockDue.reached(t.retryAt, now, backoff);
    }

    /** Runs the steps that are due for {@code share}; true once every step has applied it. */
    public synchronized boolean run(ShareSnapshot share, Instant now) {
        for (Track t : tracks) {
            if (share.equals(t.done)) {
                t.failure = null;   // a failure of another share (since reverted to this one) no longer counts
                continue;
            }
            if (t.failure != null && share.equals(t.attempted) && waiting(t, now)) {
                if (t.step.gates()) {
                    return false;
                }
                continue;
            }
            StepResult r = applyOne(t.step, share);
            t.attempted = share;
            if (r instanceof StepResult.Failed f) {
                t.failure = f.reason();
                t.retryAt = now.plus(backoff);
                LOG.error("{} failed: {}; {}retried in {} s", t.step.name(), f.reason(),
                        t.step.gates() ? "the last good configuration stays in force; " : "", backoff.toSeconds());
                if (t.step.gates()) {
                    return false;
                }
            } else {
                t.failure = null;
                t.done = share;
                if (r instanceof StepResult.Changed c) {
                    LOG.debug("{}: {}", t.step.name(), String.join("; ", c.changes()));   // the adapters log their changes at info
                }
            }
        }
        return tracks.stream().allMatch(t -> share.equals(t.done));
    }

    private static StepResult applyOne(ApplyStep step, ShareSnapshot share) {
        try {
            return step.apply(share);
        } catch (RuntimeException e) {
            LOG.error("{} failed unexpectedly", step.name(), e);
            return new StepResult.Failed(e.toString());
        }
    }

    /** Every step's upkeep (daemons kept running, firewall re-checked). */
    public synchronized void maintain() {
        for (Track t : tracks) {
            try {
                t.step.maintain();
            } catch (RuntimeException e) {
                LOG.error("{}: upkeep failed", t.step.name(), e);
            }
        }
    }

    /** Health by service name, in step order. */
    public synchronized Map<String, Health> health() {
        Map<String, Health> out = new LinkedHashMap<>();
        for (Track t : tracks) {
            Health failed = t.failure == null ? null : Health.failed(t.failure);
            t.step.health().forEach((service, h) -> out.put(service, failed == null ? h : failed));
        }
        return out;
    }

    /** Stops what the steps run, last step first. */
    @Override
    public synchronized void close() {
        for (int i = tracks.size() - 1; i >= 0; i--) {
            try {
                tracks.get(i).step.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: stop failed: {}", tracks.get(i).step.name(), e.toString());
            }
        }
    }
}
