package io.headnode.orchestrator.cluster;

import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.orchestrator.images.ImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host's image catalog directory equal to the fleet's catalog ({@link FleetImages}): an image the fleet
 * lists and this host lacks (or holds with other bytes) is added from the entry's {@code source} with the same
 * {@link ImageStore#add} a single host uses (format detected from the content, qcow2 converted to raw, hashed) and
 * kept only when its sha256 and size are the fleet entry's; an image the fleet no longer lists is removed. What is not
 * here comes back with a reason ({@code no-source}, {@code differs}, {@code failed}), which the host registers
 * ({@code images-missing}) for {@code headnode images list}. A source that failed is tried again only once its size
 * or mtime changed (a multi-GiB conversion is not repeated every pass for nothing).
 *
 * <p>In cluster mode the local catalog is the fleet's: {@code headnode images add} writes the fleet's entry, never
 * only a local one. Not thread-safe: one caller (the member's image thread).
 */
public final class FleetImageMirror {
    private static final Logger log = LoggerFactory.getLogger(FleetImageMirror.class);
    public static final String NO_SOURCE = "no-source";
    public static final String DIFFERS = "differs";
    public static final String FAILED = "failed";
    /** Registered while the copy runs. */
    public static final String COPYING = "copying";

    private final ImageStore store;
    private final Map<ImageName, Failure> failures = new HashMap<>();

    public FleetImageMirror(ImageStore store) {
        this.store = Objects.requireNonNull(store, "store is null");
    }

    /** A source that did not give the fleet's image, as it was then: unchanged, it is not converted again. */
    private record Failure(Path source, long size, long mtime, String reason) {
    }

    /** One round; returns the fleet's images this host does not hold, each with why. */
    public Map<ImageName, String> sync(FleetImages fleet) throws IOException {
        Map<ImageName, ImageEntry> local = new TreeMap<>();
        store.catalog().list().images().forEach(e -> local.put(e.name(), e));
        for (ImageName name : local.keySet()) {
            if (!fleet.images().containsKey(name)) {
                log.info("image {}: no longer in the fleet's catalog, removed here", name);
                store.remove(name);
            }
        }
        failures.keySet().retainAll(fleet.images().keySet());
        Map<ImageName, String> missing = new TreeMap<>();
        for (FleetImage want : fleet.images().values()) {
            ImageEntry have = local.get(want.name());
            if (have != null && same(have, want.entry())) {
                failures.remove(want.name());
                continue;
            }
            if (have != null) {
                log.warn("image {}: held here with sha256 {}, the fleet's is {}: fetched again", want.name(), have.sha256(), want.entry().sha256());
                store.remove(want.name());
            }
            String why = fetch(want);
            if (why != null) {
                missing.put(want.name(), why);
            }
        }
        return missing;
    }

    /** The fleet's images not held here that {@link #sync} will copy now (a source that failed unchanged is not). */
    public java.util.Set<ImageName> toCopy(FleetImages fleet) throws IOException {
        Map<ImageName, ImageEntry> local = new TreeMap<>();
        store.catalog().list().images().forEach(e -> local.put(e.name(), e));
        java.util.Set<ImageName> out = new java.util.TreeSet<>();
        for (FleetImage want : fleet.images().values()) {
            ImageEntry have = local.get(want.name());
            if ((have == null || !same(have, want.entry())) && !failures.containsKey(want.name())) {
                out.add(want.name());
            }
        }
        return out;
    }

    private static boolean same(ImageEntry a, ImageEntry b) {
        return a.sha256().equals(b.sha256()) && a.size() == b.size();
    }

    /** Adds the image from its source; null when it is here now, else the reason. */
    private String fetch(FleetImage want) throws IOException {
        ImageName name = want.name();
        Path source = want.source();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(source, BasicFileAttributes.class);
        } catch (IOException e) {
            return remember(want, 0, 0, NO_SOURCE, "source " + source + " cannot be read here (" + e + ")");
        }
        Failure last = failures.get(name);
        long mtime = a.lastModifiedTime().toMillis();
        if (last != null && last.source().equals(source) && last.size() == a.size() && last.mtime() == mtime) {
            return last.reason(); // unchanged since it failed
        }
        if (!Files.isReadable(source)) {
            return remember(want, a.size(), mtime, NO_SOURCE, "source " + source + " is not readable here");
        }
        log.info("image {}: copying it from {} into this host's catalog", name, source);
        try {
            ImageEntry got = store.add(source, name);
            if (!same(got, want.entry())) {
                store.remove(name);
                return remember(want, a.size(), mtime, DIFFERS, "source " + source + " gives sha256 " + got.sha256() + " (" + got.size()
                        + " bytes) here, the fleet's entry is " + want.entry().sha256() + " (" + want.entry().size() + " bytes): not kept");
            }
            failures.remove(name);
            log.info("image {}: in this host's catalog now (sha256 {})", name, got.sha256());
            return null;
        } catch (ImageStore.ImageException e) {
            return remember(want, a.size(), mtime, FAILED, e.getMessage());
        }
    }

    private String remember(FleetImage want, long size, long mtime, String reason, String message) {
        Failure before = failures.put(want.name(), new Failure(want.source(), size, mtime, reason));
        if (before == null || !before.reason().equals(reason)) {
            log.warn("image {}: not in this host's catalog: {}", want.name(), message);
        }
        return reason;
    }
}
