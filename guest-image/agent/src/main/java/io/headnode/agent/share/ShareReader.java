package io.headnode.agent.share;

import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.MachineList;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Reads headnode.conf and machines.txt from the share. Only complete content counts: a file must end with a
 * newline (the host writes whole files by rename, so a missing final newline means a torn or truncated write)
 * and must not change while it is read. Bad content is reported as file:line: field: problem.
 */
public final class ShareReader {
    static final int MAX_FILE = 4 << 20;
    private final ShareLayout layout;
    /** The last valid reading and the (inode, mtime, size) of both files it came from: an unchanged share is not re-parsed. */
    private Stamp confStamp;
    private Stamp machinesStamp;
    private ShareReading lastValid;

    private record Stamp(Object fileKey, FileTime modified, long size) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(a.fileKey(), a.lastModifiedTime(), a.size());
            } catch (IOException e) {
                return null;
            }
        }
    }

    public ShareReader(ShareLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout is null");
    }

    /** Reads the share; called every poll, so a share whose files did not change returns the last valid reading. */
    public synchronized ShareReading read() {
        Stamp conf = Stamp.of(layout.config());
        Stamp machines = Stamp.of(layout.machines());
        if (lastValid != null && conf != null && machines != null && conf.equals(confStamp) && machines.equals(machinesStamp)) {
            return lastValid;
        }
        ShareReading r = readNow();
        // only a valid reading is kept: an invalid one (e.g. a write in progress) is read again next time
        lastValid = r.kind() == ShareReading.Kind.VALID ? r : null;
        confStamp = conf;
        machinesStamp = machines;
        return r;
    }

    private ShareReading readNow() {
        if (!Files.isDirectory(layout.root())) {
            return ShareReading.missing(layout.root() + " is not a directory");
        }
        try {
            byte[] conf = readComplete(layout.config(), HeadnodeConfig.FILE_NAME);
            byte[] machines = readComplete(layout.machines(), MachineList.FILE_NAME);
            if (conf == null && machines == null) {
                return ShareReading.missing("neither " + HeadnodeConfig.FILE_NAME + " nor " + MachineList.FILE_NAME + " in " + layout.root());
            }
            if (conf == null) {
                return ShareReading.invalid(HeadnodeConfig.FILE_NAME + ": file: missing");
            }
            if (machines == null) {
                return ShareReading.invalid(MachineList.FILE_NAME + ": file: missing");
            }
            HeadnodeConfig config = HeadnodeConfig.parse(HeadnodeConfig.FILE_NAME, conf);
            MachineList list = MachineList.parse(MachineList.FILE_NAME, machines);
            return ShareReading.valid(new ShareSnapshot(config, list));
        } catch (ShareFormatException e) {
            return ShareReading.invalid(e.getMessage());
        } catch (IOException e) {
            return ShareReading.invalid("share: read: " + e);
        }
    }

    /** The file's bytes, or null when it does not exist. Throws ShareFormatException when incomplete. */
    public static byte[] readComplete(Path file, String name) throws IOException, ShareFormatException {
        BasicFileAttributes before;
        try {
            before = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (before.size() > MAX_FILE) {
            throw new ShareFormatException(name, 0, "file", "larger than " + MAX_FILE + " bytes");
        }
        byte[] content = Files.readAllBytes(file);
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
        if (after.size() != content.length || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
            throw new ShareFormatException(name, 0, "file", "changed while being read (write in progress)");
        }
        if (content.length > 0 && content[content.length - 1] != '\n') {
            int line = 1;
            for (byte b : content) {
                if (b == '\n') {
                    line++;
                }
            }
            throw new ShareFormatException(name, line, "file", "incomplete: the last line has no newline (truncated or torn write)");
        }
        return content;
    }
}
