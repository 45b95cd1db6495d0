package io.headnode.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import io.headnode.common.iproute.Link;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.TestSpecs;
import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.HypervisorException;
import io.headnode.common.libvirt.LibvirtHypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.orchestrator.net.VlanNetwork;
import io.headnode.orchestrator.reconcile.ReconcileObserver;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole CLI and pipeline on libvirt's in-memory test driver (test:///default, shared by every connection in this
 * JVM), with an in-memory bridge set: fast checks of create, idempotency, drift, dry runs, list/show, delete.
 */
class InMemoryLibvirtIT {
    @TempDir
    Path tmp;
    TestHost host;
    FakeVlanNetwork network;
    LibvirtHypervisor libvirt;
    Path image;

    @BeforeEach
    void setUp() throws Exception {
        network = new FakeVlanNetwork();
        host = new TestHost(tmp, "test:///default", List.of(), "br0", new AbstractModule() {
            @Override
            protected void configure() {
                bind(VlanNetwork.class).toInstance(network);
            }
        });
        image = tmp.resolve("base.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "16M");
        libvirt = LibvirtHypervisor.connect("test:///default");
    }

    @AfterEach
    void tearDown() {
        for (String name : libvirt.domainNames()) {
            if (name.startsWith("headnode-vlan") || name.equals("squatter")) {
                libvirt.destroy(name);
                libvirt.undefine(name);
            }
        }
        libvirt.close();
    }

    @Test
    void createIsIdempotentAndLibvirtsRewriteIsNoDrift() throws Exception {
        TestHost.Run r = host.cli("create", "--vlan", "200", "--image", image.toString(), "--memory", "256");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        DomainStatus d = libvirt.lookup("headnode-vlan200").orElseThrow();
        assertThat(d.state()).isEqualTo(RunState.RUNNING);
        assertThat(d.autostart()).isTrue();
        assertThat(DomainXml.parse(d.inactiveXml()).memoryKib()).isEqualTo(256 * 1024);
        assertThat(network.has("br-vlan200")).isTrue();
        assertThat(host.config.stateDir().resolve("specs/200.spec")).exists();

        TestHost.Run again = host.cli("reconcile");
        assertThat(again.out()).isEqualTo("vlan 200 (present): no change\n");
        TestHost.Run create2 = host.cli("create", "--vlan", "200");
        assertThat(create2.out()).as("create with nothing new keeps the spec").isEqualTo("vlan 200 (present): no change\n");
    }

    @Test
    void driftIsRedefinedAndRestarted() throws Exception {
        host.cli("create", "--vlan", "201", "--image", image.toString());
        String xml = libvirt.lookup("headnode-vlan201").orElseThrow().inactiveXml();
        libvirt.define(xml.replace("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>3</vcpu>"));
        TestHost.Run r = host.cli("reconcile", "--vlan", "201");
        assertThat(r.out()).contains("redefine headnode-vlan201: vcpus: 3 -> 1").contains("restart headnode-vlan201");
        assertThat(DomainXml.parse(libvirt.lookup("headnode-vlan201").orElseThrow().inactiveXml()).vcpus()).isEqualTo(1);
        assertThat(host.cli("reconcile", "--vlan", "201").out()).contains("no change");
    }

    @Test
    void dryRunPrintsThePlanAndTheXmlAndTouchesNothing() throws Exception {
        TestHost.Run r = host.cli("create", "--vlan", "202", "--image", image.toString(), "--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("vlan 202 (present): would change").contains("domain: would: define headnode-vlan202")
                .contains("<domain type='qemu'>").contains("<source bridge='br-vlan202'/>");
        assertThat(libvirt.lookup("headnode-vlan202")).isEmpty();
        assertThat(network.links().keySet()).containsExactly("br0");
        assertThat(host.shareDir(202)).doesNotExist();
        assertThat(host.config.stateDir().resolve("specs/202.spec")).doesNotExist();
        assertThat(host.overlay(202)).doesNotExist();
    }

    @Test
    void theDryRunPlansExactlyTheActionsTheRealRunApplies() throws Exception {
        Reconciler reconciler = host.injector().getInstance(Reconciler.class);
        HeadnodeSpec spec = TestSpecs.spec(208, "br0", image);
        VlanReport dry = reconciler.apply(spec, true);
        VlanReport real = reconciler.apply(spec, false);
        assertThat(real.failed()).as(real.describe()).isFalse();
        assertThat(real.actions()).as("the same action values, in the same order").isEqualTo(dry.actions());
        assertThat(real.actions()).hasSizeGreaterThan(8);
        assertThat(real.describe()).isEqualTo(dry.describe().replace(": would: ", ": changed: ").replace("would change", "changed"));
        assertThat(reconciler.apply(spec, false).actions()).as("apply twice, change once").isEmpty();

        String xml = libvirt.lookup("headnode-vlan208").orElseThrow().inactiveXml();
        libvirt.define(xml.replace("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>2</vcpu>"));
        libvirt.destroy("headnode-vlan208");
        VlanReport driftDry = reconciler.reconcile(spec.vlan(), true);
        VlanReport driftReal = reconciler.reconcile(spec.vlan(), false);
        assertThat(driftReal.actions()).isEqualTo(driftDry.actions()).extracting(a -> a.describe())
                .containsExactly("redefine headnode-vlan208: vcpus: 2 -> 1", "start headnode-vlan208 (was shutoff)");

        network.with(Link.of("veth-lab1", "veth", true).withMaster("br-vlan208"));
        HeadnodeSpec gone = spec.markedAbsent(true);
        VlanReport deleteDry = reconciler.apply(gone, true);
        VlanReport deleteReal = reconciler.apply(gone, false);
        assertThat(deleteReal.actions()).isEqualTo(deleteDry.actions());
        assertThat(deleteReal.describe()).isEqualTo(deleteDry.describe().replace(": would: ", ": changed: ").replace("would change", "changed"))
                .contains("network: skipped: kept bridge br-vlan208: used by port veth-lab1");
        assertThat(host.shareDir(208)).doesNotExist();
    }

    @Test
    void anImageDirectoryGivesDiskKernelInitrdAndCmdline() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("image"));
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", dir.resolve("headnode.qcow2").toString(), "16M");
        Files.writeString(dir.resolve("vmlinuz"), "kernel");
        Files.writeString(dir.resolve("initrd.img"), "initrd");
        Files.writeString(dir.resolve("cmdline"), "root=/dev/vda rootfstype=ext4 console=ttyS0,115200\n");
        TestHost.Run r = host.cli("create", "--vlan", "206", "--image", dir.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        var shape = DomainXml.parse(libvirt.lookup("headnode-vlan206").orElseThrow().inactiveXml());
        assertThat(shape.kernel()).contains(dir.resolve("vmlinuz").toString());
        assertThat(shape.initrd()).contains(dir.resolve("initrd.img").toString());
        assertThat(shape.cmdline()).contains("root=/dev/vda rootfstype=ext4 console=ttyS0,115200");
        assertThat(Files.readString(host.config.stateDir().resolve("specs/206.spec"))).contains("image = " + dir.resolve("headnode.qcow2"));
        assertThat(host.cli("create", "--vlan", "206", "--cmdline", "root=/dev/vda quiet").out()).contains("cmdline: ");
    }

    @Test
    void aMissingPublicBridgeIsNamed() {
        TestHost.Run r = host.cli("create", "--vlan", "207", "--image", image.toString(), "--public-bridge", "br-nope");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("network: FAILED: public bridge br-nope does not exist");
        assertThat(libvirt.lookup("headnode-vlan207")).isEmpty();
    }

    @Test
    void listAndShow() throws Exception {
        host.cli("create", "--vlan", "203", "--image", image.toString());
        JsonNode list = new ObjectMapper().readTree(host.cli("list", "--output", "json").out());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("vlan").asInt()).isEqualTo(203);
        assertThat(list.get(0).path("state").asText()).isEqualTo("running");
        assertThat(host.cli("list").out()).contains("headnode-vlan203").contains("running");
        TestHost.Run show = host.cli("show", "--vlan", "203", "--status-timeout", "1s");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("drift:        none").contains("agent: no status").contains("machines:     0");
        JsonNode json = new ObjectMapper().readTree(host.cli("show", "--vlan", "203", "--output", "json", "--status-timeout", "1s").out());
        assertThat(json.path("vlanMac").asText()).isEqualTo("02:48:4e:00:00:cb");
        assertThat(json.path("drift")).isEmpty();
    }

    @Test
    void deleteKeepsTheShareAndABridgeOthersUse() throws Exception {
        host.cli("create", "--vlan", "204", "--image", image.toString());
        network.with(Link.of("veth-lab0", "veth", true).withMaster("br-vlan204"));
        TestHost.Run del = host.cli("delete", "--vlan", "204");
        assertThat(del.exitCode()).as(del.toString()).isZero();
        assertThat(del.out()).contains("kept bridge br-vlan204: used by port veth-lab0");
        assertThat(libvirt.lookup("headnode-vlan204")).isEmpty();
        assertThat(host.overlay(204)).doesNotExist();
        assertThat(image).exists();
        assertThat(host.shareDir(204).resolve("headnode.conf")).exists();
        assertThat(host.config.stateDir().resolve("specs/204.spec")).doesNotExist();
        assertThat(host.cli("delete", "--vlan", "204").out()).contains("nothing to delete");
    }

    @Test
    void aDomainWithOurNameButAnotherUuidIsNotTouched() throws Exception {
        libvirt.define("<domain type='test'><name>headnode-vlan205</name><memory>65536</memory><os><type>hvm</type></os></domain>");
        TestHost.Run r = host.cli("create", "--vlan", "205", "--image", image.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("domain: FAILED: domain headnode-vlan205 exists with uuid").contains("it is not ours");
        libvirt.define("<domain type='test'><name>headnode-vlan206</name><memory>65536</memory><os><type>hvm</type></os></domain>");
        TestHost.Run list = host.cli("list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.err()).contains("domain headnode-vlan206 has a head node's name but no spec")
                .doesNotContain("headnode-vlan205 has");
        assertThat(libvirt.lookup("headnode-vlan206")).isPresent();
    }

    @Test
    void aCrashAfterAnyStepIsCompletedByTheNextPass() throws Exception {
        int vlan = 300;
        for (String step : List.of("network", "share", "apparmor", "disk", "domain", "autostart", "running")) {
            vlan++;
            TestHost.Run crashed = host.cli(host.with(crashAfter(step)), "create", "--vlan", Integer.toString(vlan), "--image", image.toString());
            assertThat(crashed.exitCode()).as(step + ": " + crashed).isEqualTo(1);
            TestHost.Run next = host.cli("reconcile", "--vlan", Integer.toString(vlan));
            assertThat(next.exitCode()).as(step + ": " + next).isZero();
            assertThat(libvirt.lookup("headnode-vlan" + vlan).orElseThrow().state()).isEqualTo(RunState.RUNNING);
            assertThat(host.cli("reconcile", "--vlan", Integer.toString(vlan)).out()).as(step).contains("no change");
        }
        for (String step : List.of("domain", "disk", "network", "share")) {
            vlan++;
            host.cli("create", "--vlan", Integer.toString(vlan), "--image", image.toString());
            TestHost.Run crashed = host.cli(host.with(crashAfter(step)), "delete", "--vlan", Integer.toString(vlan), "--purge");
            assertThat(crashed.exitCode()).as(step + ": " + crashed).isEqualTo(1);
            assertThat(host.config.stateDir().resolve("specs/" + vlan + ".spec")).as("an interrupted delete keeps its spec").exists();
            TestHost.Run next = host.cli("reconcile", "--vlan", Integer.toString(vlan));
            assertThat(next.exitCode()).as(step + ": " + next).isZero();
            assertThat(libvirt.lookup("headnode-vlan" + vlan)).isEmpty();
            assertThat(host.shareDir(vlan)).doesNotExist();
            assertThat(host.config.stateDir().resolve("specs/" + vlan + ".spec")).doesNotExist();
        }
    }

    private static AbstractModule crashAfter(String step) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(ReconcileObserver.class).toInstance((v, s) -> {
                    if (s.equals(step)) {
                        throw new IllegalStateException("simulated crash after " + step);
                    }
                });
            }
        };
    }

    @Test
    void libvirtErrorsAreClassifiedByCode() {
        assertThat(libvirt.lookup("no-such-domain")).isEmpty();
        assertThatThrownBy(() -> libvirt.start("no-such-domain"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.NO_DOMAIN));
        assertThatThrownBy(() -> LibvirtHypervisor.connect("qemu:///system?socket=" + tmp.resolve("no-libvirtd.sock")))
                .isInstanceOfSatisfying(HypervisorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HypervisorException.Kind.CANNOT_CONNECT);
                    assertThat(e.getMessage()).contains("is libvirtd running?");
                });
        assertThatThrownBy(() -> libvirt.define("<domain type='test'><name>x</name>"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.BAD_XML));
    }

    @Test
    void noLibvirtdIsOneClearLine() throws Exception {
        TestHost other = new TestHost(Files.createDirectories(tmp.resolve("o")), "qemu:///system?socket=" + tmp.resolve("none.sock"),
                List.of(), "br0");
        TestHost.Run r = other.cli("machines", "show", "--vlan", "1");
        assertThat(r.exitCode()).as("commands that need no libvirt work without it").isZero();
        TestHost.Run create = other.cli("create", "--vlan", "9", "--image", image.toString(), "--dry-run");
        assertThat(create.exitCode()).isEqualTo(1);
        assertThat(create.out()).contains("FAILED: cannot connect to libvirt at qemu:///system?socket=").contains("is libvirtd running?");
    }
}
