package io.headnode.agent.share;

import io.headnode.contract.AuthorizedKeys;
import io.headnode.contract.FileStamp;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.InstallKey;
import io.headnode.contract.MachineList;
import io.headnode.contract.ShareFileReader;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads headnode.conf, machines.txt and (optional) authorized_keys and install.key from the share under the contract's complete-read rule
 * ({@link ShareFileReader}: regular files in the share, size-capped, unchanged while read, ending with a newline).
 * Bad content is reported as file:line: field: problem.
 */
public final class ShareReader {
    private final ShareLayout layout;
    private final ShareFileReader files;
    /** The last valid reading and the stamps of the files it came from: an unchanged share is not re-parsed. */
    private Optional<FileStamp> confStamp = Optional.empty();
    private Optional<FileStamp> machinesStamp = Optional.empty();
    private Optional<FileStamp> keysStamp = Optional.empty();
    private Optional<FileStamp> installKeyStamp = Optional.empty();
    private ShareReading lastValid;

    public ShareReader(ShareLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout is null");
        this.files = new ShareFileReader(layout.root());
    }

    /** Reads the share; called every poll, so a share whose files did not change returns the last valid reading. */
    public synchronized ShareReading read() {
        Optional<FileStamp> conf = FileStamp.of(layout.config());
        Optional<FileStamp> machines = FileStamp.of(layout.machines());
        Optional<FileStamp> keys = FileStamp.of(layout.authorizedKeys());
        Optional<FileStamp> installKey = FileStamp.of(layout.installKey());
        if (lastValid != null && conf.isPresent() && machines.isPresent() && conf.equals(confStamp) && machines.equals(machinesStamp)
                && keys.equals(keysStamp) && installKey.equals(installKeyStamp)) {
            return lastValid;
        }
        ShareReading r = readNow();
        // only a valid reading is kept: an invalid one (e.g. a write in progress) is read again next time
        lastValid = r.kind() == ShareReading.Kind.VALID ? r : null;
        confStamp = conf;
        machinesStamp = machines;
        keysStamp = keys;
        installKeyStamp = installKey;
        return r;
    }

    private ShareReading readNow() {
        if (!Files.isDirectory(layout.root())) {
            return ShareReading.missing(layout.root() + " is not a directory");
        }
        try {
            Optional<byte[]> conf = files.read(layout.config(), HeadnodeConfig.FILE_NAME, HeadnodeConfig.MAX_BYTES);
            Optional<byte[]> machines = files.read(layout.machines(), MachineList.FILE_NAME, MachineList.MAX_BYTES);
            if (conf.isEmpty() && machines.isEmpty()) {
                return ShareReading.missing("neither " + HeadnodeConfig.FILE_NAME + " nor " + MachineList.FILE_NAME + " in " + layout.root());
            }
            if (conf.isEmpty()) {
                return ShareReading.invalid(HeadnodeConfig.FILE_NAME + ": file: missing");
            }
            if (machines.isEmpty()) {
                return ShareReading.invalid(MachineList.FILE_NAME + ": file: missing");
            }
            HeadnodeConfig config = HeadnodeConfig.parse(HeadnodeConfig.FILE_NAME, conf.get());
            MachineList list = MachineList.parse(MachineList.FILE_NAME, machines.get());
            Optional<byte[]> keys = files.read(layout.authorizedKeys(), AuthorizedKeys.FILE_NAME, AuthorizedKeys.MAX_BYTES);
            Optional<AuthorizedKeys> authorized = keys.isEmpty() ? Optional.empty()
                    : Optional.of(AuthorizedKeys.parse(AuthorizedKeys.FILE_NAME, keys.get()));
            Optional<byte[]> key = files.read(layout.installKey(), InstallKey.FILE_NAME, InstallKey.MAX_BYTES);
            Optional<InstallKey> installKey = key.isEmpty() ? Optional.empty() : Optional.of(InstallKey.parse(InstallKey.FILE_NAME, key.get()));
            return ShareReading.valid(new ShareSnapshot(config, list, authorized, installKey));
        } catch (ShareFormatException e) {
            return ShareReading.invalid(e.getMessage());
        } catch (IOException e) {
            return ShareReading.invalid("share: read: " + e);
        }
    }
}
