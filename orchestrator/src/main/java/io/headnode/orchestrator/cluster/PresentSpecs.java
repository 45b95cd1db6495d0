package io.headnode.orchestrator.cluster;

import io.headnode.common.kv.KvException;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which local spec files say {@code state = present}, for a cluster member that asks on every pass (and its
 * registration, twice a second while a head node placed here is not up yet). A spec is read and parsed only when its
 * file changed since the last look: another file (atomic writes rename a new one in), size or modification time;
 * otherwise one {@code stat} per file. A file that does not parse counts as not present (the next apply from
 * ZooKeeper replaces it).
 */
final class PresentSpecs {
    private record Seen(Object fileKey, long size, FileTime modified, boolean present) {
        boolean same(BasicFileAttributes a) {
            return Objects.equals(fileKey, a.fileKey()) && size == a.size() && modified.equals(a.lastModifiedTime());
        }
    }

    private final SpecStore specs;
    private final Map<Vlan, Seen> seen = new ConcurrentHashMap<>();

    PresentSpecs(SpecStore specs) {
        this.specs = Objects.requireNonNull(specs, "specs is null");
    }

    /** The VLANs whose local spec is present (one marked absent is on its way out). */
    Set<Vlan> vlans() throws IOException {
        Set<Vlan> out = new TreeSet<>();
        Set<Vlan> listed = new TreeSet<>(specs.vlans());
        seen.keySet().retainAll(listed);
        for (Vlan v : listed) {
            if (present(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private boolean present(Vlan v) throws IOException {
        BasicFileAttributes before;
        try {
            before = Files.readAttributes(specs.file(v), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            seen.remove(v);
            return false;
        }
        Seen s = seen.get(v);
        if (s != null && s.same(before)) {
            return s.present();
        }
        boolean present;
        try {
            present = specs.read(v).map(HeadnodeSpec::present).orElse(false);
        } catch (KvException e) {
            present = false;
        }
        // remembered for the file as it was before the read: a write in between shows as a change next time
        seen.put(v, new Seen(before.fileKey(), before.size(), before.lastModifiedTime(), present));
        return present;
    }
}
