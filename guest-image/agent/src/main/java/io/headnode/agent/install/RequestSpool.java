package io.headnode.agent.install;

import io.headnode.common.kv.KvException;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.ShareFileReader;
import io.headnode.contract.ShareFormatException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Install requests from two places: the share's requests/ (written by the host, read-only here) and the agent's
 * own spool under its state dir (written by {@code headnode-agent install}). Requests are run in name order;
 * a bad request file is reported once (file, line, field) and never run. Each file is read under the share's
 * complete-read rule (no FIFO, device or link out of the directory; {@link InstallRequest#MAX_BYTES},
 * {@link InstallRequest#MAX_LINES}); at most {@link #MAX_FILES} waiting files per directory are read per poll (the
 * first in name order; the rest once those have run). File names are escaped in the log.
 */
public final class RequestSpool {
    private static final Logger LOG = LoggerFactory.getLogger(RequestSpool.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Waiting request files read per directory and poll. */
    public static final int MAX_FILES = 256;
    /** Refusals remembered (so each is logged once); past this the memory starts over. */
    private static final int MAX_REPORTED = 4096;
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
        TreeSet<String> names = new TreeSet<>();
        boolean more = false;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + InstallRequest.SUFFIX)) {
            for (Path f : s) {
                String name = f.getFileName().toString();
                if (ran.test(id(name))) {
                    continue;
                }
                names.add(name);
                if (names.size() > MAX_FILES) {
                    names.pollLast();
                    more = true;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            LOG.warn("cannot list {}: {}", dir, KvException.oneLine(e.toString()));
            return;
        }
        if (more && report(dir + "|more")) {
            LOG.warn("{}: more than {} request files wait; the first {} in name order are read now, the rest once they have run",
                    dir, MAX_FILES, MAX_FILES);
        }
        for (String name : names) {
            Path f = dir.resolve(name);
            String id = id(name);
            String label = InstallRequest.DIRECTORY + "/" + name;
            try {
                byte[] content = new ShareFileReader(dir).read(f, label, InstallRequest.MAX_BYTES).orElse(null);
                if (content == null) {
                    continue;
                }
                out.add(InstallRequest.parse(label, id, content));
            } catch (ShareFormatException e) {
                if (report(label + "|" + e.getMessage())) {
                    LOG.error("install request not run: {}", e.getMessage());
                }
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", KvException.oneLine(label), KvException.oneLine(e.toString()));
            }
        }
    }

    private static String id(String name) {
        return name.substring(0, name.length() - InstallRequest.SUFFIX.length());
    }

    /** True the first time {@code what} is seen (so it is logged once). */
    private boolean report(String what) {
        if (reported.size() >= MAX_REPORTED) {
            reported.clear();
        }
        return reported.add(what);
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
                String id = id(name);
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
