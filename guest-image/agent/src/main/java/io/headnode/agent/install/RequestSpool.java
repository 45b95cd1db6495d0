package io.headnode.agent.install;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.ShareFileReader;
import io.headnode.contract.ShareFormatException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Install requests from two places: the share's requests/ (written by the host, read-only here) and the agent's
 * own spool under its state dir (written by {@code headnode-agent install}). Requests are run in name order;
 * a bad request file is reported once (file, line, field) and never run.
 */
public final class RequestSpool {
    private static final Logger LOG = LoggerFactory.getLogger(RequestSpool.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path shareDir;
    private final Path localDir;
    private final Set<String> reported = new HashSet<>();

    public RequestSpool(Path shareDir, Path localDir) {
        this.shareDir = Objects.requireNonNull(shareDir, "shareDir is null");
        this.localDir = Objects.requireNonNull(localDir, "localDir is null");
    }

    /** Valid requests whose id has not run yet, share first, each list in name order. */
    public List<InstallRequest> pending(Predicate<String> ran) {
        List<InstallRequest> out = new ArrayList<>();
        collect(shareDir, ran, out);
        collect(localDir, ran, out);
        return out;
    }

    private void collect(Path dir, Predicate<String> ran, List<InstallRequest> out) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + InstallRequest.SUFFIX)) {
            s.forEach(files::add);
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.toString());
            return;
        }
        files.sort(null);
        for (Path f : files) {
            String name = f.getFileName().toString();
            String id = name.substring(0, name.length() - InstallRequest.SUFFIX.length());
            if (ran.test(id)) {
                continue;
            }
            String label = InstallRequest.DIRECTORY + "/" + name;
            try {
                byte[] content = new ShareFileReader(dir).read(f, label, InstallRequest.MAX_BYTES).orElse(null);
                if (content == null) {
                    continue;
                }
                out.add(InstallRequest.parse(label, id, content));
            } catch (ShareFormatException e) {
                if (reported.add(label + "|" + e.getMessage())) {
                    LOG.error("install request not run: {}", e.getMessage());
                }
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", f, e.toString());
            }
        }
    }

    /**
     * Removes local spool files whose request has run and is on disk: one that ran while its first save failed is
     * not offered again by {@link #pending}, so nothing else would remove it.
     */
    public void sweepLocal(Predicate<String> ranDurably) {
        if (!Files.isDirectory(localDir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(localDir, "*" + InstallRequest.SUFFIX)) {
            for (Path f : s) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - InstallRequest.SUFFIX.length());
                if (ranDurably.test(id)) {
                    consumed(id);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", localDir, e.toString());
        }
    }

    /** After a request ran: the local spool's file is removed (the share's stay: it is read-only). */
    public void consumed(String id) {
        try {
            Files.deleteIfExists(localDir.resolve(id + InstallRequest.SUFFIX));
        } catch (IOException e) {
            LOG.warn("cannot remove spooled request {}: {}", id, e.toString());
        }
    }

    /** Spools a guest-side request ({@code headnode-agent install}); returns its id. */
    public static String spool(Path localDir, boolean all, List<MacAddress> macs) throws IOException {
        String id = "guest-" + System.currentTimeMillis() + "-" + Integer.toHexString(RANDOM.nextInt(1 << 24) | (1 << 24)).substring(1);
        InstallRequest r = new InstallRequest(id, all, macs);
        AtomicFiles.writeIfChanged(localDir.resolve(r.fileName()), r.render());
        return id;
    }
}
