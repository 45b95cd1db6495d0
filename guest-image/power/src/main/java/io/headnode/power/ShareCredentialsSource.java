package io.headnode.power;

import com.google.inject.Inject;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.CredentialsFile;
import io.headnode.contract.DriverOptions;
import io.headnode.contract.FileStamp;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.Machine;
import io.headnode.contract.ShareFileReader;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import io.headnode.power.driver.PowerDriver;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads credentials.conf and headnode.conf from the share under the contract's complete-read rule, again whenever
 * either changes, and checks every entry against the options its driver declares (its own driver, else
 * headnode.conf's power-driver). A missing file means none (no entries; the default driver amt). A file that
 * becomes unreadable, incomplete or invalid leaves the last good version in force, with one warning naming file,
 * line and field; without a good version every lookup fails with that error.
 */
public final class ShareCredentialsSource implements CredentialsSource {
    private static final Logger LOG = LoggerFactory.getLogger(ShareCredentialsSource.class);
    private final ShareLayout share;
    private final ShareFileReader files;
    private final Map<String, DriverOptions> drivers = new TreeMap<>();
    private Loaded good;
    private Stamps goodStamps;
    private Stamps failedStamps;
    private Exception failure;

    private record Loaded(CredentialsFile credentials, String defaultDriver) {
    }

    private record Stamps(Optional<FileStamp> credentials, Optional<FileStamp> config) {
    }

    @Inject
    public ShareCredentialsSource(ShareLayout share, Map<String, PowerDriver> drivers) {
        this.share = Objects.requireNonNull(share, "share is null");
        this.files = new ShareFileReader(share.root());
        Objects.requireNonNull(drivers, "drivers is null").forEach((name, d) -> this.drivers.put(name, d.options()));
    }

    @Override
    public Optional<BmcCredentials> lookup(Machine machine) throws IOException, ShareFormatException {
        return current().credentials().lookup(machine);
    }

    @Override
    public String defaultDriver() throws IOException, ShareFormatException {
        return current().defaultDriver();
    }

    private synchronized Loaded current() throws IOException, ShareFormatException {
        Stamps now = new Stamps(FileStamp.of(share.credentials()), FileStamp.of(share.config()));
        if (good != null && now.equals(goodStamps)) {
            return good;
        }
        if (!now.equals(failedStamps)) {
            try {
                good = load();
                goodStamps = now;
                failedStamps = null;
                return good;
            } catch (IOException | ShareFormatException e) {
                failedStamps = now;
                failure = e;
                if (good != null) {
                    LOG.warn("{}; keeping the version read before", e.getMessage());
                }
            }
        }
        if (good != null) {
            return good;
        }
        if (failure instanceof ShareFormatException f) {
            throw f;
        }
        throw (IOException) failure;
    }

    private Loaded load() throws IOException, ShareFormatException {
        Optional<byte[]> conf = files.read(share.config(), HeadnodeConfig.FILE_NAME, HeadnodeConfig.MAX_BYTES);
        String defaultDriver = conf.isEmpty() ? HeadnodeConfig.DEFAULT_POWER_DRIVER
                : HeadnodeConfig.parse(HeadnodeConfig.FILE_NAME, conf.get()).powerDriver();
        CredentialsFile credentials = CredentialsFile.read(files, share.credentials()).orElse(CredentialsFile.empty());
        credentials.validate(defaultDriver, drivers);
        return new Loaded(credentials, defaultDriver);
    }
}
