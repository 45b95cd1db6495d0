package io.headnode.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import io.headnode.common.exec.CommandResult;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.domain.DomainShape;
import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.orchestrator.reconcile.ReconcileObserver;
import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The orchestrator against a real libvirtd that this test starts inside a network namespace it creates (bridges
 * there, no uplink). The daemon, the public bridge and the base image are shared, started once; every case is
 * independent: it first brings the head node of VLAN 100 (an empty qcow2: SeaBIOS keeps it running) to a known,
 * converged state, then injects one fault, converges it with one reconcile pass and checks that a second pass
 * changes nothing. A failing case leaves nothing the next case relies on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeadnodeLibvirtdIT {
    private static final int VLAN = 100;
    private static final String DOMAIN = "headnode-vlan100";
    private static final int FRESH_VLAN = 101;
    private static final String FRESH_DOMAIN = "headnode-vlan101";
    private static final String PUBLIC = "hnpub0";
    private Path tmp;
    private NetworkNamespace ns;
    private Libvirtd libvirtd;
    private TestHost host;
    private Path image;

    @BeforeAll
    void startLibvirtd() throws Exception {
        tmp = Files.createTempDirectory("hnorch");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ns = NetworkNamespace.create();
        libvirtd = Libvirtd.start(ns, tmp.resolve("libvirtd"));
        ns.exec("ip", "link", "add", "name", PUBLIC, "type", "bridge");
        ns.exec("ip", "link", "set", "dev", PUBLIC, "up");
        Files.createDirectories(tmp.resolve("host"));
        host = new TestHost(tmp.resolve("host"), libvirtd.uri(), List.of("ip", "netns", "exec", ns.name()), PUBLIC);
        image = tmp.resolve("host/images/base.qcow2");
        Files.createDirectories(image.getParent());
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M");
    }

    @AfterAll
    void stop() throws Exception {
        if (libvirtd != null) {
            virsh("destroy", DOMAIN);
            virsh("destroy", FRESH_DOMAIN);
            libvirtd.close();
        }
        if (ns != null) {
            ns.close();
        }
        Command.run("rm", "-rf", tmp.toString());
    }

    /** The known state every fault case starts from: VLAN 100 declared, converged and running; no foreign domain. */
    private void givenConvergedHeadNode() {
        virsh("undefine", "other");   // left behind if the delete case failed half-way; absent otherwise
        TestHost.Run r = host.cli("create", "--vlan", String.valueOf(VLAN), "--image", image.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(virsh("domstate", DOMAIN).stdout().strip()).as(libvirtd.logText()).isEqualTo("running");
    }

    @Test
    void createMakesARunningHeadNodeWithTwoNicsInOrderAndAReadOnlyMappedShare() throws Exception {
        try {
            TestHost.Run r = host.cli("create", "--vlan", String.valueOf(FRESH_VLAN), "--image", image.toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(virsh("domstate", FRESH_DOMAIN).stdout().strip()).isEqualTo("running");
            assertThat(virsh("dominfo", FRESH_DOMAIN).stdout()).containsPattern("Autostart:\\s+enable");
            DomainShape live = DomainXml.parse(virsh("dumpxml", FRESH_DOMAIN).stdout());
            assertThat(live.type()).isEqualTo("qemu");
            assertThat(live.nics()).extracting(DomainShape.Nic::bridge).containsExactly("br-vlan101", PUBLIC);
            assertThat(live.nics()).extracting(DomainShape.Nic::mac).containsExactly("02:48:4e:00:00:65", "02:48:4e:01:00:65");
            assertThat(live.shares()).containsExactly(new DomainShape.Share(host.shareDir(FRESH_VLAN).toString(), "/etc/moc", "mapped", true),
                    new DomainShape.Share(host.config.imageDir().toString(), "headnode-images", "mapped", true));
            assertThat(live.disks()).extracting(DomainShape.Disk::file).containsExactly(host.overlay(FRESH_VLAN).toString());
            assertThat(Command.check("qemu-img", "info", "-U", host.overlay(FRESH_VLAN).toString()).stdout()).contains("backing file: " + image);
            List<String> taps = taps(FRESH_DOMAIN);
            assertThat(taps).hasSize(2);
            assertThat(tapsOn("br-vlan101")).containsExactly(taps.get(0));
            assertThat(tapsOn(PUBLIC)).contains(taps.get(1));
            assertThat(Files.readString(host.shareDir(FRESH_VLAN).resolve("headnode.conf"))).contains("vlan = 101");
            assertThat(Files.readString(host.localInclude())).containsOnlyOnce(host.config.shareRoot() + "/** r,");
            TestHost.Run again = host.cli("reconcile", "--vlan", String.valueOf(FRESH_VLAN));
            assertThat(again.out()).as(again.toString()).contains("vlan 101 (present): no change");
        } finally {
            host.cli("delete", "--vlan", String.valueOf(FRESH_VLAN), "--purge");
        }
    }

    @Test
    void domainUndefinedBehindOurBack() {
        givenConvergedHeadNode();
        virsh("destroy", DOMAIN);
        virsh("undefine", DOMAIN);
        convergesInOnePass("define " + DOMAIN);
    }

    @Test
    void domainUndefinedWhileRunning() {
        givenConvergedHeadNode();
        virsh("undefine", DOMAIN);
        convergesInOnePass("define " + DOMAIN + " (it was running without a persistent definition)");
        assertThat(virsh("dominfo", DOMAIN).stdout()).containsPattern("Persistent:\\s+yes").containsPattern("Autostart:\\s+enable");
    }

    @Test
    void domainStopped() {
        givenConvergedHeadNode();
        virsh("destroy", DOMAIN);
        convergesInOnePass("start " + DOMAIN);
    }

    @Test
    void shareDirectoryRemoved() throws Exception {
        givenConvergedHeadNode();
        Command.check("rm", "-rf", host.shareDir(VLAN).toString());
        convergesInOnePass("create " + host.shareDir(VLAN));
        assertThat(host.shareDir(VLAN).resolve("headnode.conf")).exists();
    }

    @Test
    void bridgeDeleted() throws Exception {
        givenConvergedHeadNode();
        ns.exec("ip", "link", "delete", "dev", "br-vlan100");
        convergesInOnePass("create bridge br-vlan100");
        assertThat(tapsOn("br-vlan100")).as("the domain's tap is back on the bridge").hasSize(1);
    }

    @Test
    void appArmorIncludeReverted() throws Exception {
        givenConvergedHeadNode();
        Files.writeString(host.localInclude(), "");
        convergesInOnePass("write the share rule into " + host.localInclude());
        assertThat(Files.readString(host.localInclude())).containsOnlyOnce(host.config.shareRoot() + "/** r,")
                .containsOnlyOnce(host.config.imageDir() + "/** r,");
    }

    @Test
    void overlayDeleted() throws Exception {
        givenConvergedHeadNode();
        Files.delete(host.overlay(VLAN));
        convergesInOnePass("create overlay " + host.overlay(VLAN));
        assertThat(host.overlay(VLAN)).exists();
    }

    @Test
    void crashBetweenSteps() {
        givenConvergedHeadNode();
        virsh("destroy", DOMAIN);
        virsh("undefine", DOMAIN);
        ns.exec("ip", "link", "delete", "dev", "br-vlan100");
        TestHost.Run crashed = host.cli(host.with(new AbstractModule() {
            @Override
            protected void configure() {
                bind(ReconcileObserver.class).toInstance((vlan, step) -> {
                    if (step.equals("disk")) {
                        throw new IllegalStateException("simulated crash after step disk");
                    }
                });
            }
        }), "reconcile", "--vlan", "100");
        assertThat(crashed.exitCode()).as(crashed.toString()).isEqualTo(1);
        assertThat(virsh("domstate", DOMAIN).exitCode()).as("crashed before the domain step").isNotZero();
        convergesInOnePass("define " + DOMAIN);
    }

    // ---- fault injection (docs/faults.md): each case says what it injects and what it asserts

    /**
     * Injects: SIGKILL to libvirtd in the middle of a reconcile pass (after the share step, before the domain steps),
     * with the domain stopped behind our back; then a restarted libvirtd. Asserts: the interrupted pass fails with
     * one error and exit 1 (no hang); the next pass converges (starts the domain), a second changes nothing; the
     * spec, the share's files and the overlay are as before (nothing lost).
     */
    @Test
    void libvirtdKilledInTheMiddleOfAPassThenRestarted() throws Exception {
        givenConvergedHeadNode();
        virsh("destroy", DOMAIN);
        String before = shareAndSpecDigest();
        try {
            TestHost.Run crashed = host.cli(host.with(new AbstractModule() {
                @Override
                protected void configure() {
                    bind(ReconcileObserver.class).toInstance((vlan, step) -> {
                        if (step.equals("share")) {
                            libvirtd.killLibvirtd();
                        }
                    });
                }
            }), "reconcile", "--vlan", "100");
            assertThat(crashed.exitCode()).as(crashed.toString()).isEqualTo(1);
            assertThat(crashed.out() + crashed.err()).as(crashed.toString()).containsAnyOf("FAILED", "error");
        } finally {
            if (!libvirtd.isAlive()) {
                libvirtd.restartLibvirtd();
            }
        }
        convergesInOnePass("start " + DOMAIN);
        assertThat(shareAndSpecDigest()).isEqualTo(before);
        assertThat(host.overlay(VLAN)).exists();
    }

    /**
     * Injects: SIGKILL to the head node's QEMU process (not through libvirt). Asserts: libvirt sees the domain shut
     * off; one pass starts it again on the same overlay and share, a second changes nothing.
     */
    @Test
    void qemuOfTheHeadNodeKilled() throws Exception {
        givenConvergedHeadNode();
        String before = shareAndSpecDigest();
        long pid = Long.parseLong(Files.readString(libvirtd.workDir().resolve("run/qemu/" + DOMAIN + ".pid")).strip());
        Command.run(Duration.ofSeconds(10), List.of("kill", "-KILL", Long.toString(pid)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> virsh("domstate", DOMAIN).stdout().strip(), state -> state.equals("shut off"));
        convergesInOnePass("start " + DOMAIN);
        assertThat(shareAndSpecDigest()).isEqualTo(before);
    }

    /**
     * Injects: the share directory's mode set to 000 (QEMU's user can no longer enter it). Asserts: one pass makes it
     * readable again (0755) and QEMU's user can read headnode.conf through it; a second pass changes nothing.
     */
    @Test
    void shareDirectoryPermissionsBroken() throws Exception {
        givenConvergedHeadNode();
        Files.setPosixFilePermissions(host.shareDir(VLAN), java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        convergesInOnePass("make " + host.shareDir(VLAN) + " readable by " + host.config.qemuUser());
        CommandResult read = Command.run(Duration.ofSeconds(10), List.of("runuser", "-u", host.config.qemuUser(), "--", "cat",
                host.shareDir(VLAN).resolve("headnode.conf").toString()));
        assertThat(read.exitCode()).as(read.stderr()).isZero();
        assertThat(read.stdout()).contains("vlan = 100");
    }

    /**
     * Injects: share files QEMU's user cannot read (headnode.conf mode 000, machines.txt 0600 owned by root).
     * Asserts: one pass gives them mode 0644 back (content untouched) and QEMU's user reads them; a second pass
     * changes nothing.
     */
    @Test
    void shareFilePermissionsBroken() throws Exception {
        givenConvergedHeadNode();
        Path machines = tmp.resolve("machines-perm.txt");
        Files.writeString(machines, "52:54:00:aa:00:01 10.0.0.1\n");
        TestHost.Run push = host.cli("machines", "push", "--vlan", "100", machines.toString());
        assertThat(push.exitCode()).as(push.toString()).isZero();
        Path conf = host.shareDir(VLAN).resolve("headnode.conf");
        String before = shareAndSpecDigest();
        Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(host.shareDir(VLAN).resolve("machines.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        convergesInOnePass("make " + conf + " readable by " + host.config.qemuUser() + " (mode 0644)");
        for (String f : List.of("headnode.conf", "machines.txt")) {
            CommandResult read = Command.run(Duration.ofSeconds(10), List.of("runuser", "-u", host.config.qemuUser(), "--", "cat",
                    host.shareDir(VLAN).resolve(f).toString()));
            assertThat(read.exitCode()).as(f + ": " + read.stderr()).isZero();
        }
        assertThat(shareAndSpecDigest()).isEqualTo(before);
    }

    /**
     * Injects: the state directory and the VLAN's share each on a small tmpfs (their files copied in), filled to the
     * last block; then a spec change ({@code create --memory}) and a new machines.txt ({@code machines push}).
     * Asserts: both fail with the cause named (No space left on device), the spec and the share's files are as
     * before, no temp file is left; once the fillers are removed one pass changes nothing (nothing half-done), and
     * the same push succeeds.
     */
    @Test
    void stateAndShareDirectoriesOnAFullFilesystemThenFreed() throws Exception {
        givenConvergedHeadNode();
        Path state = host.config.stateDir();
        Path share = host.shareDir(VLAN);
        Path machines = tmp.resolve("machines-full.txt");
        Files.writeString(machines, "52:54:00:aa:00:02 10.0.0.2\n");
        String before = shareAndSpecDigest();
        List<Path> mounted = new ArrayList<>();
        try {
            for (Path dir : List.of(state, share)) {
                mountFullTmpfs(dir);
                mounted.add(0, dir);
            }
            TestHost.Run create = host.cli("create", "--vlan", "100", "--memory", "97");
            assertThat(create.exitCode()).as(create.toString()).isNotZero();
            assertThat(create.out() + create.err()).as(create.toString()).contains("No space left on device");
            TestHost.Run push = host.cli("machines", "push", "--vlan", "100", machines.toString());
            assertThat(push.exitCode()).as(push.toString()).isNotZero();
            assertThat(push.out() + push.err()).as(push.toString()).contains("No space left on device");
            assertThat(shareAndSpecDigest()).isEqualTo(before);
            assertNoTempFiles(state, share);

            for (Path dir : mounted) {
                Files.delete(dir.resolve(FILLER));
            }
            assertSecondPassChangesNothing();
            TestHost.Run again = host.cli("machines", "push", "--vlan", "100", machines.toString());
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(Files.readString(share.resolve("machines.txt"))).contains("52:54:00:aa:00:02 10.0.0.2");
            assertNoTempFiles(state, share);
        } finally {
            for (Path dir : mounted) {
                Command.run(Duration.ofSeconds(10), List.of("umount", "-l", dir.toString()));
            }
        }
        assertSecondPassChangesNothing();
    }

    private static final String FILLER = "fill";

    /** Mounts a 4 MiB tmpfs over {@code dir} with dir's files copied in, then fills it to the last block. */
    private void mountFullTmpfs(Path dir) throws Exception {
        Path saved = Files.createTempDirectory(tmp, "saved");
        Command.check("cp", "-a", dir + "/.", saved.toString());
        Command.check("mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", dir.toString());
        Command.check("cp", "-a", saved + "/.", dir.toString());
        CommandResult dd = Command.run(Duration.ofSeconds(30), List.of("dd", "if=/dev/zero", "of=" + dir.resolve(FILLER), "bs=4k"));
        assertThat(dd.stderr()).contains("No space left on device");
    }

    private static void assertNoTempFiles(Path... dirs) throws Exception {
        for (Path d : dirs) {
            try (var files = Files.walk(d)) {
                assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).as(d.toString()).isEmpty();
            }
        }
    }

    /** The spec and every share file's content, to show a fault lost nothing. */
    private String shareAndSpecDigest() throws Exception {
        StringBuilder b = new StringBuilder(Files.readString(host.config.stateDir().resolve("specs/100.spec")));
        try (var files = Files.walk(host.shareDir(VLAN))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(FILLER)).sorted().toList()) {
                b.append('\n').append(f).append(": ").append(Files.readString(f));
            }
        }
        return b.toString();
    }

    @Test
    void theReconcileServiceRepairsUntilSigterm() throws Exception {
        givenConvergedHeadNode();
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow().toAbsolutePath();
        }
        Daemon service = Daemon.start("reconcile-service", tmp.resolve("every.log"), List.of("env", "HEADNODE_LOG_LEVEL=INFO",
                "java", "-jar", jar.toString(), "--config", host.writeConfigFile().toString(), "reconcile", "--every", "1s", "--metrics-address", "127.0.0.1:0"));
        try {
            service.await("start its loop", () -> service.logText().contains("reconciling every 1 s"), Duration.ofSeconds(60));
            virsh("destroy", DOMAIN);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> virsh("domstate", DOMAIN).stdout().strip(), state -> state.equals("running"));
            assertThat(service.logText()).contains("start " + DOMAIN);
        } finally {
            service.close();   // SIGTERM: the service finishes its pass and exits; SIGKILL only after 10 s
        }
        assertThat(service.exitCode()).as("stopped by SIGTERM (143), not killed (137): " + service.logText()).hasValue(143);
    }

    @Test
    void deleteKeepsABridgeAnotherDomainUsesThenPurgeRemovesEverything() throws Exception {
        givenConvergedHeadNode();
        Path other = tmp.resolve("other.xml");
        Files.writeString(other, "<domain type='qemu'><name>other</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os>"
                + "<devices><interface type='bridge'><source bridge='br-vlan100'/></interface></devices></domain>");
        assertThat(virsh("define", other.toString()).exitCode()).isZero();
        TestHost.Run del = host.cli("delete", "--vlan", "100");
        assertThat(del.exitCode()).as(del.toString()).isZero();
        assertThat(del.out()).contains("kept bridge br-vlan100: used by domain other");
        assertThat(virsh("domstate", DOMAIN).exitCode()).isNotZero();
        assertThat(host.overlay(VLAN)).doesNotExist();
        assertThat(host.shareDir(VLAN)).exists();
        assertThat(bridgeExists("br-vlan100")).isTrue();
        virsh("undefine", "other");

        assertThat(host.cli("create", "--vlan", "100", "--image", image.toString()).exitCode()).isZero();
        assertThat(tapsOn("br-vlan100")).as("the running domain's tap").hasSize(1);
        TestHost.Run dry = host.cli("delete", "--vlan", "100", "--purge", "--dry-run");
        assertThat(dry.out()).as("our own tap goes with the domain: the dry run sees it as the real run will")
                .contains("network: would: delete br-vlan100").doesNotContain("kept bridge");
        assertThat(bridgeExists("br-vlan100")).isTrue();
        TestHost.Run purge = host.cli("delete", "--vlan", "100", "--purge");
        assertThat(purge.exitCode()).as(purge.toString()).isZero();
        assertThat(purge.out()).isEqualTo(dry.out().replace(": would: ", ": changed: ").replace("would change", "changed"));
        assertThat(bridgeExists("br-vlan100")).isFalse();
        assertThat(host.shareDir(VLAN)).doesNotExist();
        assertThat(host.config.stateDir().resolve("specs/100.spec")).doesNotExist();
        assertThat(host.cli("list").out()).doesNotContain(DOMAIN);
    }

    private void convergesInOnePass(String expectedChange) {
        TestHost.Run r = host.cli("reconcile", "--vlan", "100");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).contains("changed").contains(expectedChange);
        assertThat(virsh("domstate", DOMAIN).stdout().strip()).as(libvirtd.logText()).isEqualTo("running");
        assertSecondPassChangesNothing();
    }

    private void assertSecondPassChangesNothing() {
        TestHost.Run again = host.cli("reconcile", "--vlan", "100");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).as(again.toString()).contains("vlan 100 (present): no change");
    }

    private CommandResult virsh(String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", libvirtd.uri()));
        cmd.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), cmd);
    }

    /** The domain's tap devices, in the order of its interfaces. */
    private List<String> taps(String domain) {
        List<String> taps = new ArrayList<>();
        for (String line : virsh("domiflist", domain).stdout().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 5 && f[1].equals("bridge")) {
                taps.add(f[0]);
            }
        }
        return taps;
    }

    private boolean bridgeExists(String name) {
        return ns.run(Duration.ofSeconds(10), "ip", "link", "show", "dev", name).exitCode() == 0;
    }

    private List<String> tapsOn(String bridge) throws Exception {
        List<String> taps = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(ns.exec("ip", "-j", "link", "show", "master", bridge).stdout())) {
            taps.add(n.path("ifname").asText());
        }
        return taps;
    }
}
