package io.headnode.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.domain.DomainShape;
import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.orchestrator.reconcile.ReconcileObserver;
import io.headnode.testing.Command;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The orchestrator against a real libvirtd that this test starts inside a network namespace it creates (bridges
 * there, no uplink): create a head node from an empty qcow2 (SeaBIOS keeps it running), inject faults one at a time,
 * converge each with one reconcile pass, check the second pass changes nothing; then delete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HeadnodeLibvirtdIT {
    private static final int VLAN = 100;
    private static final String DOMAIN = "headnode-vlan100";
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
            libvirtd.close();
        }
        if (ns != null) {
            ns.close();
        }
        Command.run("rm", "-rf", tmp.toString());
    }

    @Test
    @Order(1)
    void createMakesARunningHeadNodeWithTwoNicsInOrderAndAReadOnlyMappedShare() throws Exception {
        TestHost.Run r = host.cli("create", "--vlan", "100", "--image", image.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(virsh("domstate", DOMAIN).stdout().strip()).isEqualTo("running");
        assertThat(virsh("dominfo", DOMAIN).stdout()).containsPattern("Autostart:\\s+enable");
        DomainShape live = DomainXml.parse(virsh("dumpxml", DOMAIN).stdout());
        assertThat(live.type()).isEqualTo("qemu");
        assertThat(live.nics()).extracting(DomainShape.Nic::bridge).containsExactly("br-vlan100", PUBLIC);
        assertThat(live.nics()).extracting(DomainShape.Nic::mac).containsExactly("02:48:4e:00:00:64", "02:48:4e:01:00:64");
        assertThat(live.shares()).containsExactly(new DomainShape.Share(host.shareDir(VLAN).toString(), "/etc/moc", "mapped", true));
        assertThat(live.disks()).extracting(DomainShape.Disk::file).containsExactly(host.overlay(VLAN).toString());
        assertThat(Command.check("qemu-img", "info", "-U", host.overlay(VLAN).toString()).stdout()).contains("backing file: " + image);
        assertThat(tapsOn("br-vlan100")).hasSize(1);
        assertThat(tapsOn(PUBLIC)).hasSize(1);
        assertThat(Files.readString(host.shareDir(VLAN).resolve("headnode.conf"))).contains("vlan = 100");
        assertThat(Files.readString(host.localInclude())).containsOnlyOnce(host.config.shareRoot() + "/** r,");
        assertSecondPassChangesNothing();
    }

    @Test
    @Order(2)
    void domainUndefinedBehindOurBack() {
        virsh("destroy", DOMAIN);
        virsh("undefine", DOMAIN);
        convergesInOnePass("define " + DOMAIN);
    }

    @Test
    @Order(2)
    void domainUndefinedWhileRunning() {
        virsh("undefine", DOMAIN);
        convergesInOnePass("define " + DOMAIN + " (it was running without a persistent definition)");
        assertThat(virsh("dominfo", DOMAIN).stdout()).containsPattern("Persistent:\\s+yes").containsPattern("Autostart:\\s+enable");
    }

    @Test
    @Order(3)
    void domainStopped() {
        virsh("destroy", DOMAIN);
        convergesInOnePass("start " + DOMAIN);
    }

    @Test
    @Order(4)
    void shareDirectoryRemoved() throws Exception {
        Command.check("rm", "-rf", host.shareDir(VLAN).toString());
        convergesInOnePass("create " + host.shareDir(VLAN));
        assertThat(host.shareDir(VLAN).resolve("headnode.conf")).exists();
    }

    @Test
    @Order(5)
    void bridgeDeleted() throws Exception {
        ns.exec("ip", "link", "delete", "dev", "br-vlan100");
        convergesInOnePass("create bridge br-vlan100");
        assertThat(tapsOn("br-vlan100")).as("the domain's tap is back on the bridge").hasSize(1);
    }

    @Test
    @Order(6)
    void appArmorIncludeReverted() throws Exception {
        Files.writeString(host.localInclude(), "");
        convergesInOnePass("write the share rule into " + host.localInclude());
        assertThat(Files.readString(host.localInclude())).containsOnlyOnce("/** r,");
    }

    @Test
    @Order(7)
    void overlayDeleted() throws Exception {
        Files.delete(host.overlay(VLAN));
        convergesInOnePass("create overlay " + host.overlay(VLAN));
        assertThat(host.overlay(VLAN)).exists();
    }

    @Test
    @Order(8)
    void crashBetweenSteps() {
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

    @Test
    @Order(9)
    void theReconcileServiceRepairsUntilSigterm() throws Exception {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow().toAbsolutePath();
        }
        Path log = tmp.resolve("every.log");
        Process service = new ProcessBuilder(List.of("java", "-jar", jar.toString(), "--config", host.writeConfigFile().toString(),
                "reconcile", "--every", "1s")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Thread.sleep(2500);
            virsh("destroy", DOMAIN);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!virsh("domstate", DOMAIN).stdout().strip().equals("running") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(virsh("domstate", DOMAIN).stdout().strip()).as(Files.readString(log)).isEqualTo("running");
            assertThat(Files.readString(log)).contains("start " + DOMAIN);
        } finally {
            service.destroy(); // SIGTERM: the service finishes its pass and exits
            assertThat(service.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }

    @Test
    @Order(10)
    void deleteKeepsABridgeAnotherDomainUsesThenPurgeRemovesEverything() throws Exception {
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

    private Command.Result virsh(String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", libvirtd.uri()));
        cmd.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), cmd);
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
