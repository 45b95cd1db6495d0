package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.orchestrator.FakeHypervisor;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.cli.HeadnodeCommand;
import io.headnode.orchestrator.cli.Main;
import io.headnode.orchestrator.config.ClusterConfig;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.disk.OverlayDisk;
import io.headnode.orchestrator.images.ImageStore;
import io.headnode.orchestrator.share.ShareDirectory;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.SpecStore;
import io.headnode.testing.Command;
import io.headnode.testing.ZooKeeperEnsemble;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's image catalog against a real 3-member ensemble (Debian's zookeeper on loopback): two hosts' services
 * (members with a {@link FleetImageMirror} each, their own catalog directory, libvirt faked) and the CLI in cluster
 * mode. {@code images add} records the entry with its source, every host copies the image into its own catalog,
 * {@code images list} tells which hosts hold it and why the others do not, {@code images rm} removes it everywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterImagesIT {
    static final int SESSION_MS = 2_000;
    static final ClusterSecret SECRET = new ClusterSecret("fleet-images-secret-0123456789");
    @TempDir
    static Path dir;
    static ZooKeeperEnsemble zk;
    static CuratorFramework admin;
    static ClusterStore store;
    static TestHost cliHost;
    static HostConfig cliConfig;
    static final List<Member> members = new ArrayList<>();
    static Path shared;
    static String sha;

    /** One host's service: a member with its own session, catalog directory and image mirror. */
    record Member(HostId id, CuratorFramework client, ClusterMember member, ImageCatalog catalog) {
        static Member start(String name) throws Exception {
            HostId id = new HostId(name);
            HostConfig config = ClusterFixtures.hostConfig(dir, name);
            ClusterConfig c = new ClusterConfig(zk.connectString(), Path.of("/etc/headnode/cluster.secret"), name, 10, SESSION_MS);
            CuratorFramework client = ClusterConnection.open(c, SECRET);
            LocalShareHeadnodes local = new LocalShareHeadnodes(new SpecStore(config), new ShareDirectory(new HeadnodePaths(config), config), new FakeHypervisor(),
                new io.headnode.orchestrator.reconcile.VlanLock(new HeadnodePaths(config)));
            ProcessCommandRunner runner = new ProcessCommandRunner(List.of());
            ImageStore images = new ImageStore(config.imageDir(), new OverlayDisk(runner), runner, Clock.systemUTC());
            ClusterMember m = new ClusterMember(new ClusterStore(client), id, zk.connectString(), SESSION_MS, local,
                    () -> new HostCapacity(id, 16 * 1024, 10, false), List.of("br0"), v -> { }, new Placer(256),
                    Duration.ofSeconds(30), Clock.systemUTC());
            m.mirrorImages(new FleetImageMirror(images), Duration.ofMillis(500)); // the service's period is 30 s
            m.start();
            return new Member(id, client, m, images.catalog());
        }

        void stop() {
            member.close();
            client.close();
        }
    }

    @BeforeAll
    static void fleet() throws Exception {
        zk = ZooKeeperEnsemble.start(dir.resolve("zk"), 3);
        admin = ClusterFixtures.admin(zk, SECRET, SESSION_MS);
        store = new ClusterStore(admin);
        store.ensureLayout();
        for (String name : List.of("hv1", "hv2")) {
            members.add(Member.start(name));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = dir.resolve("cluster.secret");
        Files.writeString(secret, SECRET.secret() + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(dir.resolve("admin"));
        cliHost = TestHost.withFakes(dir.resolve("admin"), new FakeHypervisor(), new FakeVlanNetwork());
        cliConfig = cliHost.config.withCluster(new ClusterConfig(zk.connectString(), secret, "admin", 10, SESSION_MS));
        // the image every host reads at the same path (a shared read-only mount in a real fleet), as a qcow2
        shared = dir.resolve("shared");
        Files.createDirectories(shared);
        byte[] data = new byte[2 << 20];
        new Random(11).nextBytes(data);
        Files.write(shared.resolve("deb.raw"), data);
        sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        Command.check("qemu-img", "convert", "-f", "raw", "-O", "qcow2", shared.resolve("deb.raw").toString(), shared.resolve("deb.qcow2").toString());
    }

    @AfterAll
    static void stop() {
        ClusterFixtures.stopAll(members.stream().map(m -> (Runnable) m::stop).toList(), admin, zk);
    }

    static TestHost.Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        HeadnodeCommand root = new HeadnodeCommand(cliConfig, cliHost.with());
        try {
            int code = Main.run(root, Main.SUBCOMMANDS, new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new TestHost.Run(code, out.toString(), err.toString());
        } finally {
            root.close();
        }
    }

    static boolean holds(Member m, String name, String sha256) throws Exception {
        return m.catalog().read(new ImageName(name)).map(e -> e.sha256().hex().equals(sha256)).orElse(false)
                && Files.exists(m.catalog().dataFile(new ImageName(name)));
    }

    @Test
    @Order(1)
    void anAddedImageReachesEveryHostsCatalogAndListSaysSo() throws Exception {
        long t0 = System.nanoTime();
        TestHost.Run added = cli("images", "add", shared.resolve("deb.qcow2").toString(), "--name", "deb");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("qcow2 converted to raw", "sha256 " + sha);
        await().atMost(Duration.ofSeconds(30)).until(() -> holds(members.get(0), "deb", sha) && holds(members.get(1), "deb", sha));
        System.out.println("images add -> the image in both hosts' catalogs: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        for (Member m : members) {
            ImageEntry e = m.catalog().read(new ImageName("deb")).orElseThrow();
            assertThat(e.size()).isEqualTo(2 << 20);
            assertThat(e.sourceFormat()).isEqualTo("qcow2");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cli("images", "list").out(), o -> o.contains(" 2/2 "));
        assertThat(cli("images", "list").out()).containsPattern("deb +2.0 MiB +2097152 +qcow2 +\\S+ +" + sha + " +2/2 +" + shared.resolve("deb.qcow2"));
    }

    @Test
    @Order(2)
    void aHostWithoutTheSourceOrWithOtherBytesReportsItMissingAndCatchesUpWhenItIsFixed() throws Exception {
        // an entry whose source is not there yet (the admin has not copied it to every host)
        ImageEntry deb = members.get(0).catalog().read(new ImageName("deb")).orElseThrow();
        Path later = shared.resolve("later.raw");
        ImageEntry e = new ImageEntry(new ImageName("later"), deb.size(), deb.sha256(), "raw", deb.added());
        assertThat(store.addImage(new FleetImage(e, later))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> cli("images", "list").out(), o -> o.contains("0/2 (hv1: no-source, hv2: no-source)"));

        Files.write(later, new byte[2 << 20]); // the wrong bytes
        await().atMost(Duration.ofSeconds(10)).until(() -> cli("images", "list").out(), o -> o.contains("0/2 (hv1: differs, hv2: differs)"));
        assertThat(members.get(0).catalog().read(new ImageName("later"))).isEmpty();

        Files.copy(shared.resolve("deb.raw"), later, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(later, FileTime.from(Instant.now().plusSeconds(2)));
        await().atMost(Duration.ofSeconds(20)).until(() -> holds(members.get(0), "later", sha) && holds(members.get(1), "later", sha));
        await().atMost(Duration.ofSeconds(10)).until(() -> cli("images", "list").out(), o -> o.matches("(?s).*later .* 2/2 .*"));
        assertThat(members).allMatch(m -> m.member().imagesMissing().isEmpty());
    }

    @Test
    @Order(3)
    void rmRemovesTheEntryAndEveryHostsCopy() throws Exception {
        TestHost.Run rm = cli("images", "rm", "deb");
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> members.stream().allMatch(m -> {
            try {
                return m.catalog().read(new ImageName("deb")).isEmpty() && !Files.exists(m.catalog().dataFile(new ImageName("deb")));
            } catch (Exception x) {
                return false;
            }
        }));
        assertThat(holds(members.get(1), "later", sha)).isTrue(); // the other image stays
        assertThat(cli("images", "list").out()).doesNotContain("deb ");
    }

    @Test
    @Order(4)
    void aHostThatJoinsLaterCopiesTheCatalog() throws Exception {
        Member hv3 = Member.start("hv3");
        members.add(hv3);
        await().atMost(Duration.ofSeconds(20)).until(() -> holds(hv3, "later", sha));
        assertThat(hv3.catalog().read(new ImageName("deb"))).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> cli("images", "list").out(), o -> o.contains(" 3/3 "));
        assertThat(Map.copyOf(hv3.member().imagesMissing())).isEmpty();
    }
}
