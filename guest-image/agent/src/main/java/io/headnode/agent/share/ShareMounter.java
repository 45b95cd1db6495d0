package io.headnode.agent.share;

import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.time.WallClockDue;
import io.headnode.contract.ShareLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts a host 9p share read-only (trans=virtio) at a mount point, retrying with backoff (replaces the seed's
 * rc.local workaround for the boot-order race). "Already mounted" is success. Two shares: the VLAN's (tag /etc/moc)
 * and the image catalog (tag headnode-images).
 * A share that was mounted and is gone (unmounted under the running agent) is logged once and mounted again at once.
 * The backoff runs on the injected clock; a retry further ahead than the longest backoff means the clock was set
 * back, and counts as due.
 */
public final class ShareMounter {
    private static final Logger LOG = LoggerFactory.getLogger(ShareMounter.class);
    private final CommandRunner runner;
    private final String tag;
    private final String options;
    private final String mountBinary;
    private final Path mountPoint;
    private final Path mountInfo;
    private final Clock clock;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private boolean wasMounted;
    private Instant nextTry = Instant.EPOCH;
    private Duration backoff = Duration.ofSeconds(1);
    private String lastError = "";

    /** The VLAN's share (tag {@link ShareLayout#MOUNT_TAG}). */
    public ShareMounter(CommandRunner runner, String mountBinary, Path mountPoint, Path mountInfo, Clock clock) {
        this(runner, ShareLayout.MOUNT_TAG, "", mountBinary, mountPoint, mountInfo, clock);
    }

    /** A share under {@code tag}, with {@code extraOptions} after ro,trans=virtio,version=9p2000.L (e.g. {@code msize=524288}). */
    public ShareMounter(CommandRunner runner, String tag, String extraOptions, String mountBinary, Path mountPoint, Path mountInfo, Clock clock) {
        this.runner = Objects.requireNonNull(runner, "runner is null");
        this.tag = Objects.requireNonNull(tag, "tag is null");
        this.options = "ro,trans=virtio,version=9p2000.L" + (extraOptions.isEmpty() ? "" : "," + extraOptions);
        this.mountBinary = Objects.requireNonNull(mountBinary, "mountBinary is null");
        this.mountPoint = Objects.requireNonNull(mountPoint, "mountPoint is null");
        this.mountInfo = Objects.requireNonNull(mountInfo, "mountInfo is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** True when the share is mounted (now or already). Tries at most once per backoff period. */
    public synchronized boolean ensureMounted() {
        if (isMounted()) {
            wasMounted = true;
            return true;
        }
        if (wasMounted) {
            LOG.warn("share {} is no longer mounted at {}; the last good configuration stays in force; mounting it again",
                    tag, mountPoint);
            wasMounted = false;
            nextTry = Instant.EPOCH;
            backoff = Duration.ofSeconds(1);
        }
        Instant now = clock.instant();
        if (!WallClockDue.reached(nextTry, now, MAX_BACKOFF)) {
            return false;
        }
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            LOG.warn("cannot create mount point {}: {}", mountPoint, e.toString());
        }
        Optional<String> problem = mount();
        if (problem.isEmpty() || isMounted()) {
            LOG.info("share {} mounted read-only at {}", tag, mountPoint);
            backoff = Duration.ofSeconds(1);
            lastError = "";
            wasMounted = isMounted();
            return true;
        }
        if (!problem.get().equals(lastError)) {
            LOG.warn("cannot mount share {} at {} ({}); retrying with backoff", tag, mountPoint, problem.get());
        }
        lastError = problem.get();
        nextTry = now.plus(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        return false;
    }

    /** Runs mount; why it failed, if it did. */
    private Optional<String> mount() {
        try {
            CommandResult r = runner.run(List.of(mountBinary, "-t", "9p", "-o", options,
                    tag, mountPoint.toString()), Duration.ofSeconds(15));
            // the outcome first: the status detail that shows it is bounded, and the mount point makes the command long
            return r.ok() ? Optional.empty() : Optional.of(mountBinary + " " + r.describeOutcomeFirst());
        } catch (CommandException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether the mount point carries a 9p file system, per mountinfo. */
    public boolean isMounted() {
        try {
            String target = mountPoint.toString();
            for (String line : Files.readAllLines(mountInfo)) {
                // fields: id parent major:minor root mountpoint options ... - fstype source superopts
                String[] f = line.split(" ");
                int dash = line.indexOf(" - ");
                if (f.length > 5 && unescape(f[4]).equals(target) && dash > 0 && line.substring(dash + 3).startsWith("9p ")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    public synchronized String lastError() {
        return lastError;
    }
}
