package io.headnode.orchestrator.reconcile;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.spec.HeadnodePaths;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;

/**
 * One orchestrator at a time per VLAN: an exclusive lock on {@code <state-dir>/locks/vlanN.lock} (released by the
 * kernel if the process dies, so a crash never leaves a stale lock).
 */
public final class VlanLock {
    private final HeadnodePaths paths;
    private final Duration wait;

    @Inject
    public VlanLock(HeadnodePaths paths) {
        this(paths, Duration.ofSeconds(30));
    }

    public VlanLock(HeadnodePaths paths, Duration wait) {
        this.paths = Objects.requireNonNull(paths, "paths is null");
        this.wait = wait;
    }

    /** A held lock; close to release. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held acquire(Vlan vlan) throws IOException {
        Path file = paths.lockFile(vlan);
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    FileLock l = lock;
                    return () -> {
                        try {
                            l.release();
                            ch.close();
                        } catch (IOException e) {
                            // closing the channel releases the lock in any case
                        }
                    };
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("VLAN " + vlan + " is locked by another headnode process (" + file + ")");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the lock of VLAN " + vlan, e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
