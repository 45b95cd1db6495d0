package io.headnode.power;

import com.google.inject.Inject;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.CredentialsFile;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.Machine;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads credentials.conf and headnode.conf from the share, again whenever a file changes. A file that becomes
 * unreadable or malformed leaves the last good version in force (with a warning naming file, line and field).
 */
public final class ShareCredentialsSource implements CredentialsSource {
    private static final Logger LOG = LoggerFactory.getLogger(ShareCredentialsSource.class);
    private final ShareLayout share;
    private Cached<CredentialsFile> credentials;
    private Cached<String> driver;

    private record Cached<T>(FileTime mtime, long size, T value) {
    }

    @Inject
    public ShareCredentialsSource(ShareLayout share) {
        this.share = Objects.requireNonNull(share, "share is null");
    }

    @Override
    public synchronized Optional<BmcCredentials> lookup(Machine machine) throws IOException, ShareFormatException {
        Path p = share.credentials();
        credentials = load(p, credentials, () -> CredentialsFile.read(p), CredentialsFile.empty());
        return credentials.value().lookup(machine);
    }

    @Override
    public synchronized String defaultDriver() throws IOException, ShareFormatException {
        Path p = share.config();
        driver = load(p, driver, () -> HeadnodeConfig.parse(p.toString(), Files.readAllBytes(p)).powerDriver(), "amt");
        return driver.value();
    }

    private interface Reader<T> {
        T read() throws IOException, ShareFormatException;
    }

    private static <T> Cached<T> load(Path p, Cached<T> before, Reader<T> reader, T missing) throws IOException, ShareFormatException {
        FileTime mtime;
        long size;
        try {
            mtime = Files.getLastModifiedTime(p);
            size = Files.size(p);
        } catch (NoSuchFileException e) {
            return new Cached<>(null, -1, missing);
        }
        if (before != null && mtime.equals(before.mtime()) && size == before.size()) {
            return before;
        }
        try {
            return new Cached<>(mtime, size, reader.read());
        } catch (IOException | ShareFormatException e) {
            if (before == null || before.mtime() == null) {
                throw e;
            }
            LOG.warn("{}; keeping the version read before", e.getMessage());
            return before;
        }
    }
}
