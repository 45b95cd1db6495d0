package io.headnode.orchestrator.cluster;

import io.headnode.common.kv.KvException;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.ShareLayout;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.VlanLock;
import io.headnode.orchestrator.share.ShareDirectory;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecCodec;
import io.headnode.orchestrator.spec.SpecStore;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of cluster mode: a VLAN placed here gets the same local spec file and share files as a single host's
 * CLI writes ({@link SpecStore}, the share directory, credentials and install.key 0600 through
 * {@link ShareDirectory#writeSecret}),
 * so the unchanged reconcile pipeline builds its head node. Share files ZooKeeper no longer holds are removed
 * (headnode.conf stays: the share step writes a default one). Fencing marks the specs absent and destroys every
 * head node at once (and again under each VLAN's lock, after a pass in flight), so no reconcile pass starts them again (the delete steps undefine them) until ZooKeeper places
 * them here anew. A VLAN that moved away is marked absent with its share purged.
 */
public final class LocalShareHeadnodes implements LocalHeadnodes {
    private static final Logger log = LoggerFactory.getLogger(LocalShareHeadnodes.class);
    private final SpecStore specs;
    private final ShareDirectory share;
    private final Hypervisor hypervisor;
    private final VlanLock lock;
    private final PresentSpecs present;

    @Inject
    public LocalShareHeadnodes(SpecStore specs, ShareDirectory share, Hypervisor hypervisor, VlanLock lock) {
        this.specs = Objects.requireNonNull(specs, "specs is null");
        this.share = Objects.requireNonNull(share, "share is null");
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor is null");
        this.lock = Objects.requireNonNull(lock, "lock is null");
        this.present = new PresentSpecs(specs);
    }

    /** The VLANs with a present local spec (one marked absent is on its way out). */
    @Override
    public Set<Vlan> vlans() throws IOException {
        return present.vlans();
    }

    @Override
    public Set<Vlan> running() throws IOException {
        Set<Vlan> out = new TreeSet<>();
        Set<String> running;
        try {
            running = new HashSet<>(hypervisor.runningDomainNames()); // one listing, not a state call per VLAN
        } catch (RuntimeException e) {
            return out; // libvirt failed: nothing runs as far as the fleet is told
        }
        for (Vlan v : vlans()) {
            if (running.contains(HeadnodePaths.domainName(v))) {
                out.add(v);
            }
        }
        return out;
    }

    private HeadnodeSpec readOrNull(Vlan v) throws IOException {
        try {
            return specs.read(v).orElse(null);
        } catch (KvException e) {
            return null; // a broken local spec: the next apply from ZooKeeper replaces it
        }
    }

    @Override
    public boolean apply(Vlan vlan, byte[] spec, Map<String, byte[]> shareFiles) throws IOException {
        try {
            SpecCodec.parse("zookeeper:" + ClusterStore.specPath(vlan), spec);
        } catch (KvException e) {
            throw new IOException(e.getMessage() + " (the last good spec stays)", e);
        }
        boolean changed = AtomicFiles.writeIfChanged(specs.file(vlan), spec);
        ShareLayout layout = share.layout(vlan);
        Path root = layout.root();
        Files.createDirectories(root);
        Set<Path> wanted = new HashSet<>();
        for (Map.Entry<String, byte[]> f : shareFiles.entrySet()) {
            Path target = root.resolve(f.getKey()).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IOException("zookeeper:" + ClusterStore.sharePath(vlan, f.getKey()) + ": not inside the share");
            }
            wanted.add(target);
            if (Files.isRegularFile(target.getParent(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(target.getParent()); // a file where a directory belongs (an older mirror): replace it
            }
            Files.createDirectories(target.getParent());
            if (target.equals(layout.credentials()) || target.equals(layout.installKey())) {
                changed |= share.writeSecret(target, f.getValue());
            } else {
                changed |= AtomicFiles.writeIfChanged(target, f.getValue());
            }
        }
        for (Path existing : files(root)) {
            if (!wanted.contains(existing) && !existing.getFileName().toString().equals(HeadnodeConfig.FILE_NAME)) {
                Files.deleteIfExists(existing);
                changed = true;
            }
        }
        return changed;
    }

    /** Regular files of the share, one level of directories deep (requests/). */
    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root, 2)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    /** Marks the local spec absent with its share purged: the delete steps remove the head node, then the spec. */
    @Override
    public void remove(Vlan vlan) throws IOException {
        HeadnodeSpec spec = readOrNull(vlan);
        if (spec == null) {
            specs.remove(vlan);
        } else {
            specs.write(spec.markedAbsent(true));
        }
    }

    /**
     * Each spec is marked absent before its head node is destroyed, so the pass that the destroy's domain event
     * starts reads "absent" and runs the delete steps, never a start. A pass that read the spec before it was marked
     * may still start the head node again (it holds the VLAN's lock while it runs): so once every head node is
     * destroyed, each VLAN's lock is taken, after any such pass, and its head node destroyed again under it; every
     * later pass reads the absent spec. The first destroys do not wait for any lock.
     */
    @Override
    public Set<Vlan> fence() {
        Set<Vlan> fenced = new TreeSet<>();
        try {
            for (Vlan vlan : specs.vlans()) {
                fenced.add(vlan);
                HeadnodeSpec spec = readOrNull(vlan);
                if (spec != null) {
                    specs.write(spec.markedAbsent(false)); // no pass starts it again; the delete steps clean up
                }
                destroy(vlan);
            }
        } catch (IOException e) {
            log.error("fencing could not list or forget the local specs: {}", e.toString());
        }
        for (Vlan vlan : fenced) {
            try (VlanLock.Held held = lock.acquire(vlan)) {
                destroy(vlan); // after a pass that may have started it from the spec it read before the mark
            } catch (IOException e) {
                log.error("VLAN {}: fencing could not take the VLAN's lock: {}", vlan, e.toString());
                destroy(vlan);
            }
        }
        return fenced;
    }

    /** Destroys the VLAN's head node if it is still defined (the delete steps may have undefined it already). */
    private void destroy(Vlan vlan) {
        try {
            String name = HeadnodePaths.domainName(vlan);
            if (hypervisor.lookup(name).isPresent()) {
                hypervisor.destroy(name);
            }
        } catch (RuntimeException e) {
            log.warn("VLAN {}: destroy while fencing: {}", vlan, e.toString());
        }
    }
}
