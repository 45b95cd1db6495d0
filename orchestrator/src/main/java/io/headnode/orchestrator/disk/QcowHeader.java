package io.headnode.orchestrator.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads a qcow2 file's backing file name straight from its header (magic, version, backing_file_offset at byte 8,
 * backing_file_size at byte 16), so a steady-state reconcile needs no qemu-img subprocess per head node.
 */
public final class QcowHeader {
    private static final int MAGIC = 0x514649fb; // "QFI\xfb"

    private QcowHeader() {
    }

    /** The backing file name; empty when the file is not qcow2, has none, or cannot be read (callers fall back to qemu-img). */
    public static Optional<String> backingFile(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(20);
            if (ch.read(h, 0) < 20) {
                return Optional.empty();
            }
            h.flip();
            if (h.getInt(0) != MAGIC) {
                return Optional.empty();
            }
            long offset = h.getLong(8);
            int size = h.getInt(16);
            if (offset == 0 || size <= 0 || size > 4096) {
                return Optional.empty();
            }
            ByteBuffer name = ByteBuffer.allocate(size);
            if (ch.read(name, offset) < size) {
                return Optional.empty();
            }
            return Optional.of(new String(name.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
