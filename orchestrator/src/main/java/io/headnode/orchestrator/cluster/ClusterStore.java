package io.headnode.orchestrator.cluster;

import io.headnode.common.kv.KvException;
import io.headnode.contract.Vlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The fleet's desired state in ZooKeeper (layout: docs/design/cluster.md), under the client's chroot:
 * {@code /specs/<vlan>} (the spec file's bytes), {@code /share/<vlan>/<file>} (share files, {@code requests/<x>}
 * nested), {@code /placements/<vlan>} ({@link Placement}, leader only), {@code /assigned/<host>} ({@link HostAssignment},
 * leader only, in the same transactions), {@code /hosts/<host>} (ephemeral {@link HostRecord}s). Every node carries the client's digest ACL ({@link ClusterConnection}).
 */
public final class ClusterStore {
    public static final String SPECS = "/specs";
    public static final String SHARE = "/share";
    public static final String PLACEMENTS = "/placements";
    /** Per host, the placements on it ({@link HostAssignment}): written with the placements, watched by that host. */
    public static final String ASSIGNED = "/assigned";
    public static final String HOSTS = "/hosts";
    public static final String LEADER = "/leader";
    public static final String DRAIN = "/drain";
    public static final String INSTALLS = "/installs";
    /** The fleet's image catalog: {@code /images/NAME.image} ({@link FleetImage}). */
    public static final String IMAGES = "/images";
    /** Far below ZooKeeper's 1 MiB node limit; every share file has a smaller cap of its own in the contract. */
    public static final int MAX_NODE_BYTES = 512 * 1024;
    private static final Pattern SHARE_FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?");

    private final CuratorFramework zk;

    public ClusterStore(CuratorFramework zk) {
        this.zk = Objects.requireNonNull(zk, "zk is null");
    }

    public CuratorFramework client() {
        return zk;
    }

    /** Creates the top-level nodes (idempotent). */
    public void ensureLayout() throws Exception {
        for (String p : List.of(SPECS, SHARE, PLACEMENTS, ASSIGNED, HOSTS, DRAIN, INSTALLS, IMAGES)) {
            try {
                zk.create().creatingParentContainersIfNeeded().forPath(p);
            } catch (KeeperException.NodeExistsException e) {
                // there already
            }
        }
    }

    // ---- specs

    public static String specPath(Vlan vlan) {
        return SPECS + "/" + vlan.id();
    }

    /** Writes a VLAN's spec; returns false when it already held exactly these bytes. */
    public boolean putSpec(Vlan vlan, byte[] spec) throws Exception {
        return put(specPath(vlan), spec);
    }

    public Optional<byte[]> spec(Vlan vlan) throws Exception {
        return get(specPath(vlan));
    }

    /** The VLANs with a spec, in order. */
    public List<Vlan> specVlans() throws Exception {
        return vlans(SPECS);
    }

    /** Removes the VLAN's spec and share files; the leader then drops its placement. */
    public void removeSpec(Vlan vlan) throws Exception {
        deleteTree(specPath(vlan));
        deleteTree(SHARE + "/" + vlan.id());
        deleteTree(INSTALLS + "/" + vlan.id());
    }

    // ---- share files

    public static String sharePath(Vlan vlan, String file) {
        if (!SHARE_FILE.matcher(file).matches()) {
            throw new IllegalArgumentException("share file '" + file + "' is not a share file name (name or dir/name)");
        }
        return SHARE + "/" + vlan.id() + "/" + file;
    }

    /** Writes one share file ({@code machines.txt}, {@code requests/x.install}, ...); false when unchanged. */
    public boolean putShareFile(Vlan vlan, String file, byte[] content) throws Exception {
        return put(sharePath(vlan, file), content);
    }

    /**
     * The VLAN's install key ({@code install.key}, issue 11): the one in ZooKeeper, or a new random one created now when
     * there is none. Create-only, so two writers racing (the CLI's {@code create}, a host mirroring an older VLAN) end
     * with one key. It carries the digest ACL like every node.
     */
    public byte[] ensureInstallKey(Vlan vlan, java.security.SecureRandom random) throws Exception {
        String path = sharePath(vlan, io.headnode.contract.InstallKey.FILE_NAME);
        Optional<byte[]> existing = get(path);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT)
                    .forPath(path, io.headnode.contract.InstallKey.generate(random).render());
        } catch (KeeperException.NodeExistsException e) {
            // another writer was first: its key stands
        }
        return get(path).orElseThrow(() -> new IllegalStateException(path + " vanished right after it was created"));
    }

    public boolean removeShareFile(Vlan vlan, String file) throws Exception {
        return deleteTree(sharePath(vlan, file));
    }

    /** The VLAN's share files by relative name (one level of directories), sorted. */
    public Map<String, byte[]> shareFiles(Vlan vlan) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        String root = SHARE + "/" + vlan.id();
        for (String name : children(root)) {
            String p = root + "/" + name;
            List<String> sub = children(p);
            if (sub.isEmpty()) {
                if (name.equals(io.headnode.contract.InstallRequest.DIRECTORY)) {
                    continue; // a directory even while empty
                }
                get(p).ifPresent(b -> out.put(name, b));
            } else {
                for (String s : sub) {
                    get(p + "/" + s).ifPresent(b -> out.put(name + "/" + s, b));
                }
            }
        }
        return out;
    }

    /** When each install request ({@code requests/<x>}) of the VLAN was last written (the node's mtime). */
    public Map<String, java.time.Instant> requestsWritten(Vlan vlan) throws Exception {
        Map<String, java.time.Instant> out = new TreeMap<>();
        String dir = SHARE + "/" + vlan.id() + "/" + io.headnode.contract.InstallRequest.DIRECTORY;
        for (String name : children(dir)) {
            Stat st = zk.checkExists().forPath(dir + "/" + name);
            if (st != null) {
                out.put(io.headnode.contract.InstallRequest.DIRECTORY + "/" + name, java.time.Instant.ofEpochMilli(st.getMtime()));
            }
        }
        return out;
    }

    // ---- completed installs (written by the VLAN's placed host)

    /** Records that {@code mac} finished installing at {@code since} (reported by {@code host}'s head node). */
    public void putInstall(Vlan vlan, io.headnode.contract.MacAddress mac, java.time.Instant since, HostId host) throws Exception {
        put(INSTALLS + "/" + vlan.id() + "/" + mac, (since + " " + host + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The VLAN's recorded completions: MAC to when it finished (a node that does not decode is left out). */
    public Map<io.headnode.contract.MacAddress, java.time.Instant> installs(Vlan vlan) throws Exception {
        Map<io.headnode.contract.MacAddress, java.time.Instant> out = new TreeMap<>();
        String dir = INSTALLS + "/" + vlan.id();
        for (String name : children(dir)) {
            try {
                Optional<byte[]> d = get(dir + "/" + name);
                if (d.isPresent()) {
                    String when = new String(d.get(), java.nio.charset.StandardCharsets.US_ASCII).strip().split(" ")[0];
                    out.put(io.headnode.contract.MacAddress.parse(name), java.time.Instant.parse(when));
                }
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                // not a completion we wrote
            }
        }
        return out;
    }

    /** Applies what {@link InstallCompletions} decided: completions first, then the requests without them. */
    public void apply(Vlan vlan, InstallCompletions c, HostId host) throws Exception {
        for (Map.Entry<io.headnode.contract.MacAddress, java.time.Instant> e : c.record().entrySet()) {
            putInstall(vlan, e.getKey(), e.getValue(), host);
        }
        for (Map.Entry<String, byte[]> e : c.rewrite().entrySet()) {
            putShareFile(vlan, e.getKey(), e.getValue());
        }
        for (String f : c.remove()) {
            removeShareFile(vlan, f);
        }
    }

    // ---- the image catalog

    public static String imagePath(io.headnode.contract.ImageName name) {
        return IMAGES + "/" + FleetImage.nodeName(name);
    }

    /** Records an image in the fleet's catalog; false (nothing written) when the name is taken already. */
    public boolean addImage(FleetImage image) throws Exception {
        byte[] data = image.encode();
        if (data.length > MAX_NODE_BYTES) {
            throw new IllegalArgumentException(imagePath(image.name()) + ": " + data.length + " bytes, more than " + MAX_NODE_BYTES);
        }
        try {
            zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(imagePath(image.name()), data);
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return false;
        }
    }

    public boolean removeImage(io.headnode.contract.ImageName name) throws Exception {
        return deleteTree(imagePath(name));
    }

    public Optional<FleetImage> image(io.headnode.contract.ImageName name) throws Exception {
        Optional<byte[]> d = get(imagePath(name));
        return d.isEmpty() ? Optional.empty() : Optional.of(FleetImage.decode("zookeeper:" + imagePath(name), d.get()));
    }

    /** The fleet's images by name, and one error per node that does not decode (such a node is left out). */
    public FleetImages images() throws Exception {
        Map<String, byte[]> nodes = new TreeMap<>();
        for (String n : children(IMAGES)) {
            get(IMAGES + "/" + n).ifPresent(d -> nodes.put(n, d));
        }
        return FleetImages.decode(nodes);
    }

    /**
     * The install requests across the fleet that may still use {@code image}: like a single host's
     * {@link io.headnode.orchestrator.images.ImageReferences}, with the request node's mtime for the file's.
     */
    public List<io.headnode.orchestrator.images.ImageReferences.Use> imageUses(io.headnode.contract.ImageName image, java.time.Instant now) throws Exception {
        List<io.headnode.orchestrator.images.ImageReferences.Use> uses = new ArrayList<>();
        for (Vlan v : specVlans()) {
            String dir = SHARE + "/" + v.id() + "/" + io.headnode.contract.InstallRequest.DIRECTORY;
            List<String> names = children(dir);
            if (names.isEmpty()) {
                continue;
            }
            String conf = SHARE + "/" + v.id() + "/" + io.headnode.contract.HeadnodeConfig.FILE_NAME;
            java.time.Duration deadline = io.headnode.orchestrator.images.ImageReferences.deadline("zookeeper:" + conf, get(conf), v);
            for (String name : names) {
                if (!name.endsWith(io.headnode.contract.InstallRequest.SUFFIX)) {
                    continue;
                }
                Stat st = new Stat();
                byte[] data;
                try {
                    data = zk.getData().storingStatIn(st).forPath(dir + "/" + name);
                } catch (KeeperException.NoNodeException e) {
                    continue;
                }
                java.time.Instant until = java.time.Instant.ofEpochMilli(st.getMtime()).plus(deadline);
                if (until.isAfter(now)) {
                    String id = name.substring(0, name.length() - io.headnode.contract.InstallRequest.SUFFIX.length());
                    io.headnode.orchestrator.images.ImageReferences.use(image, v, id, java.nio.file.Path.of("zookeeper:" + dir + "/" + name), data, until)
                            .ifPresent(uses::add);
                }
            }
        }
        return uses;
    }

    // ---- placements

    public static String placementPath(Vlan vlan) {
        return PLACEMENTS + "/" + vlan.id();
    }

    public void putPlacement(Vlan vlan, Placement placement) throws Exception {
        put(placementPath(vlan), placement.encode());
    }

    /**
     * Placement writes (and multi-read placements) per ZooKeeper request. Below the 1 MiB request limit with room: a
     * create with its digest ACL is about 130 bytes, so 2,000 are about 260 KB, and the assignment nodes in the same
     * transaction hold each placed VLAN once (about 12 bytes each, 50 KB for 4,094). Was 500: under load each
     * transaction took about 1 s whatever its size, so the leader placed about 500 VLANs a second
     * (docs/benchmarks/orchestrator.md, session 10: 40 hosts x 4,094 placed 2.8-5.8 s after the last spec; 0.46 s
     * at 2,000).
     */
    static final int BATCH = 2000;

    /**
     * Writes the leader's decisions in transactions of up to {@link #BATCH} placements (one round trip each instead of
     * two per placement): a create where {@code current} (the leader's view of every placement) has none, a setData
     * where it has one, a delete for a removal; plus, in the same transaction, the {@link HostAssignment} of every
     * host the batch touches, as the view says it is once the batch is written. Every transaction first checks the
     * {@code fence}'s election node, so a deposed leader's writes fail in ZooKeeper; the fence's own view is asked
     * before each transaction. Either way the leader stops with a {@link LeadershipLostException}. A transaction
     * refused because the view was stale (a node already there, or gone) is written again one placement at a time,
     * each still behind the fence, then the touched hosts' assignments (the leader repairs any that a stale view made
     * wrong on its next decision: {@link #writeAssignments}).
     *
     * @return the assignments written, the last one per host (the leader's read-your-writes)
     */
    public Map<HostId, HostAssignment> writePlacements(List<FleetPlanner.Write> writes, Map<Vlan, Placement> current, LeaderFence fence)
            throws Exception {
        Map<HostId, HostAssignment> written = new TreeMap<>();
        Map<Vlan, Placement> running = new java.util.HashMap<>(current);
        Map<HostId, java.util.SortedMap<Vlan, Long>> byHost = new java.util.HashMap<>();
        current.forEach((v, p) -> byHost.computeIfAbsent(p.host(), h -> new TreeMap<>()).put(v, p.epoch()));
        for (int i = 0; i < writes.size(); i += BATCH) {
            if (!fence.leading().getAsBoolean()) {
                throw new LeadershipLostException(writes.size() - i, false);
            }
            List<FleetPlanner.Write> batch = writes.subList(i, Math.min(writes.size(), i + BATCH));
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(zk.transactionOp().check().forPath(fence.node()));
            java.util.Set<HostId> touched = new java.util.TreeSet<>();
            for (FleetPlanner.Write w : batch) {
                ops.add(placementOp(w, running.containsKey(w.vlan())));
                Placement old = w.placement() == null ? running.remove(w.vlan()) : running.put(w.vlan(), w.placement());
                if (old != null) {
                    byHost.getOrDefault(old.host(), new TreeMap<>()).remove(w.vlan());
                    touched.add(old.host());
                }
                if (w.placement() != null) {
                    byHost.computeIfAbsent(w.placement().host(), h -> new TreeMap<>()).put(w.vlan(), w.placement().epoch());
                    touched.add(w.placement().host());
                }
            }
            Map<HostId, HostAssignment> assignments = new TreeMap<>();
            touched.forEach(h -> assignments.put(h, new HostAssignment(byHost.getOrDefault(h, new TreeMap<>()))));
            ensureAssigned(assignments.keySet());
            for (Map.Entry<HostId, HostAssignment> a : assignments.entrySet()) {
                ops.add(zk.transactionOp().setData().forPath(assignedPath(a.getKey()), a.getValue().encode()));
            }
            try {
                zk.transaction().forOperations(ops);
            } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException e) {
                requireFence(fence, writes.size() - i);
                for (FleetPlanner.Write w : batch) {
                    writeOne(w, fence, writes.size() - i);
                }
                assignedExists.clear(); // an assignment node may have been the one missing: made again below
                writeAssignments(assignments, fence);
            }
            written.putAll(assignments);
        }
        return written;
    }

    /**
     * Sets the assignment nodes of these hosts (made first where missing), in one transaction behind the fence: the
     * leader's repair of assignments that differ from the placements.
     */
    public void writeAssignments(Map<HostId, HostAssignment> assignments, LeaderFence fence) throws Exception {
        if (assignments.isEmpty()) {
            return;
        }
        ensureAssigned(assignments.keySet());
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(zk.transactionOp().check().forPath(fence.node()));
        for (Map.Entry<HostId, HostAssignment> a : assignments.entrySet()) {
            ops.add(zk.transactionOp().setData().forPath(assignedPath(a.getKey()), a.getValue().encode()));
        }
        try {
            zk.transaction().forOperations(ops);
        } catch (KeeperException.NoNodeException e) {
            requireFence(fence, assignments.size());
            assignedExists.clear();
            throw e;
        }
    }

    public static String assignedPath(HostId host) {
        return ASSIGNED + "/" + host;
    }

    /** The assignment nodes this store made or saw, so a transaction's setData finds them (an empty one is no head node). */
    private final java.util.Set<HostId> assignedExists = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Makes {@code /assigned/<host>} (empty) for each host that has none yet. */
    public void ensureAssigned(java.util.Collection<HostId> hosts) throws Exception {
        for (HostId h : hosts) {
            if (assignedExists.contains(h)) {
                continue;
            }
            try {
                zk.create().withMode(CreateMode.PERSISTENT).forPath(assignedPath(h), new byte[0]);
            } catch (KeeperException.NodeExistsException e) {
                // there already
            }
            assignedExists.add(h);
        }
    }

    /** {@code host}'s assignment as ZooKeeper holds it now; empty when it has none or it does not decode. */
    public HostAssignment assignment(HostId host) throws Exception {
        try {
            return get(assignedPath(host)).map(b -> HostAssignment.decode(assignedPath(host), b)).orElse(HostAssignment.EMPTY);
        } catch (IllegalArgumentException e) {
            return HostAssignment.EMPTY;
        }
    }

    private CuratorOp placementOp(FleetPlanner.Write w, boolean exists) throws Exception {
        String path = placementPath(w.vlan());
        if (w.placement() == null) {
            return zk.transactionOp().delete().forPath(path);
        }
        return exists ? zk.transactionOp().setData().forPath(path, w.placement().encode())
                : zk.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, w.placement().encode());
    }

    /** One placement behind the fence, looked up first; another writer in between makes it try again (3 times). */
    private void writeOne(FleetPlanner.Write w, LeaderFence fence, int unwritten) throws Exception {
        for (int attempt = 1; ; attempt++) {
            boolean exists = zk.checkExists().forPath(placementPath(w.vlan())) != null;
            if (w.placement() == null && !exists) {
                return;
            }
            try {
                zk.transaction().forOperations(List.of(zk.transactionOp().check().forPath(fence.node()), placementOp(w, exists)));
                return;
            } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException e) {
                requireFence(fence, unwritten);
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** A refused transaction whose election node is gone: the leader was deposed. */
    private void requireFence(LeaderFence fence, int unwritten) throws Exception {
        if (zk.checkExists().forPath(fence.node()) == null) {
            throw new LeadershipLostException(unwritten, true);
        }
    }

    public void removePlacement(Vlan vlan) throws Exception {
        deleteTree(placementPath(vlan));
    }

    public Optional<Placement> placement(Vlan vlan) throws Exception {
        return get(placementPath(vlan)).map(b -> Placement.decode(placementPath(vlan), b));
    }

    /**
     * The placements of {@code vlans} as ZooKeeper holds them now, read in ZooKeeper multi-reads of up to
     * {@link #BATCH} (one round trip each, not one per VLAN); one that is missing or does not decode is empty.
     */
    public Map<Vlan, Optional<Placement>> placements(java.util.Collection<Vlan> vlans) throws Exception {
        List<Vlan> all = List.copyOf(vlans);
        Map<Vlan, Optional<Placement>> out = new TreeMap<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            List<Vlan> batch = all.subList(i, Math.min(all.size(), i + BATCH));
            List<org.apache.zookeeper.Op> ops = new ArrayList<>();
            for (Vlan v : batch) {
                ops.add(org.apache.zookeeper.Op.getData(org.apache.curator.utils.ZKPaths.fixForNamespace(zk.getNamespace(), placementPath(v))));
            }
            List<org.apache.zookeeper.OpResult> results = zk.getZookeeperClient().getZooKeeper().multi(ops);
            for (int j = 0; j < batch.size(); j++) {
                Optional<Placement> p = Optional.empty();
                if (results.get(j) instanceof org.apache.zookeeper.OpResult.GetDataResult r && r.getData() != null) {
                    try {
                        p = Optional.of(Placement.decode(placementPath(batch.get(j)), r.getData()));
                    } catch (IllegalArgumentException e) {
                        // a bad placement is as good as none
                    }
                }
                out.put(batch.get(j), p);
            }
        }
        return out;
    }

    /**
     * Every placement, in multi-reads of up to {@link #BATCH}; one that does not decode (or went away after the
     * listing) is left out, and re-placed by the leader.
     */
    public Map<Vlan, Placement> placements() throws Exception {
        Map<Vlan, Placement> out = new TreeMap<>();
        placements(vlans(PLACEMENTS)).forEach((v, p) -> p.ifPresent(x -> out.put(v, x)));
        return out;
    }

    // ---- hosts

    public static String hostPath(HostId host) {
        return HOSTS + "/" + host;
    }

    /** The live hosts (their ephemeral nodes), by name; a node that does not decode is left out. */
    public Map<HostId, HostRecord> hosts() throws Exception {
        Map<HostId, HostRecord> out = new TreeMap<>();
        for (String name : children(HOSTS)) {
            try {
                HostId host = new HostId(name);
                Optional<byte[]> data = get(hostPath(host));
                if (data.isPresent()) {
                    out.put(host, HostRecord.decode(host, hostPath(host), data.get()));
                }
            } catch (IllegalArgumentException | KvException e) {
                // not a host we can use
            }
        }
        return out;
    }

    /** Asks the leader to move every head node off {@code host}, one at a time; it takes nothing new meanwhile. */
    public void drain(HostId host, boolean on) throws Exception {
        if (on) {
            put(DRAIN + "/" + host, new byte[0]);
        } else {
            deleteTree(DRAIN + "/" + host);
        }
    }

    /** Waits until the server this client talks to has every write the leader committed (before a fresh read). */
    public void sync() throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        zk.sync().inBackground((client, event) -> done.countDown()).forPath(PLACEMENTS);
        if (!done.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new java.util.concurrent.TimeoutException("ZooKeeper sync did not answer within 10 s");
        }
    }

    // ---- plumbing

    private boolean put(String path, byte[] data) throws Exception {
        if (data.length > MAX_NODE_BYTES) {
            throw new IllegalArgumentException(path + ": " + data.length + " bytes, more than " + MAX_NODE_BYTES);
        }
        while (true) {
            Stat stat = zk.checkExists().forPath(path);
            if (stat == null) {
                try {
                    zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
                    return true;
                } catch (KeeperException.NodeExistsException e) {
                    continue; // someone else was faster: compare again
                }
            }
            byte[] old = zk.getData().forPath(path);
            if (Arrays.equals(old, data)) {
                return false;
            }
            zk.setData().forPath(path, data);
            return true;
        }
    }

    private Optional<byte[]> get(String path) throws Exception {
        try {
            return Optional.of(zk.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    private List<String> children(String path) throws Exception {
        try {
            List<String> c = new ArrayList<>(zk.getChildren().forPath(path));
            c.sort(null);
            return c;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    private List<Vlan> vlans(String parent) throws Exception {
        List<Vlan> out = new ArrayList<>();
        for (String name : children(parent)) {
            try {
                out.add(new Vlan(Integer.parseInt(name)));
            } catch (IllegalArgumentException e) {
                // not a VLAN id
            }
        }
        out.sort(null);
        return out;
    }

    private boolean deleteTree(String path) throws Exception {
        try {
            zk.delete().deletingChildrenIfNeeded().forPath(path);
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        }
    }

    /** The leader stopped writing its placements: it no longer leads (or is not connected). */
    public static final class LeadershipLostException extends Exception {
        private final boolean electionNodeGone;

        public LeadershipLostException(int unwritten, boolean electionNodeGone) {
            super("no longer leading" + (electionNodeGone ? " (ZooKeeper refused: this host's election node is gone)" : "")
                    + ": " + unwritten + " placement writes not made");
            this.electionNodeGone = electionNodeGone;
        }

        /** ZooKeeper refused the writes because the fence's node is gone, while this member may still think it leads. */
        public boolean electionNodeGone() {
            return electionNodeGone;
        }
    }
}
