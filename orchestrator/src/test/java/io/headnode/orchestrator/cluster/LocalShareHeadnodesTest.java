package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.RunState;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.FakeHypervisor;
import io.headnode.orchestrator.TestSpecs;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.share.ShareDirectory;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.SpecCodec;
import io.headnode.orchestrator.spec.SpecStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalShareHeadnodesTest {
    @TempDir
    Path dir;
    HostConfig config;
    FakeHypervisor hv = new FakeHypervisor();
    LocalShareHeadnodes local;
    final Vlan v = new Vlan(100);

    @BeforeEach
    void setUp() throws IOException {
        config = new HostConfig(dir.resolve("state"), dir.resolve("share"), dir.resolve("apparmor"), Path.of("/usr/sbin/apparmor_parser"),
                "test:///default", "br-vlan", "br0", List.of(), System.getProperty("user.name"), "qemu", dir.resolve("i.qcow2"), 256, 1);
        Files.createDirectories(config.stateDir().resolve("specs"));
        local = new LocalShareHeadnodes(new SpecStore(config), new ShareDirectory(new HeadnodePaths(config), config), hv,
                new io.headnode.orchestrator.reconcile.VlanLock(new HeadnodePaths(config)));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Path share(String name) {
        return config.shareRoot().resolve("100").resolve(name);
    }

    @Test
    void writesSpecAndShareExactlyOnceAndRemovesWhatZooKeeperDropped() throws Exception {
        byte[] spec = SpecCodec.render(TestSpecs.spec(100));
        Map<String, byte[]> files = Map.of("machines.txt", b("m\n"), "credentials.conf", b("c\n"), "requests/a.install", b("r\n"),
                "install.key", b("k\n"));
        assertThat(local.apply(v, spec, files)).isTrue();
        assertThat(local.apply(v, spec, files)).isFalse();
        assertThat(local.vlans()).containsExactly(v);
        assertThat(share("requests/a.install")).hasContent("r");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(share("credentials.conf")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(share("install.key")))).isEqualTo("rw-------");
        assertThat(Files.getOwner(share("install.key")).getName()).isEqualTo(Files.getOwner(share("credentials.conf")).getName());
        Files.writeString(share("headnode.conf"), "written by the share step\n");

        assertThat(local.apply(v, spec, Map.of("machines.txt", b("m2\n")))).isTrue();
        assertThat(share("machines.txt")).hasContent("m2");
        assertThat(share("credentials.conf")).doesNotExist();
        assertThat(share("requests/a.install")).doesNotExist();
        assertThat(share("headnode.conf")).exists();
    }

    @Test
    void aBadSpecFromZooKeeperIsRefusedAndTheLastGoodStays() throws Exception {
        byte[] good = SpecCodec.render(TestSpecs.spec(100));
        local.apply(v, good, Map.of());
        assertThatThrownBy(() -> local.apply(v, b("bogus = 1\n"), Map.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("zookeeper:/specs/100").hasMessageContaining("the last good spec stays");
        assertThat(Files.readAllBytes(config.stateDir().resolve("specs/100.spec"))).isEqualTo(good);
    }

    @Test
    void fencingDestroysEveryRunningHeadNodeAndForgetsItsSpec() throws Exception {
        local.apply(v, SpecCodec.render(TestSpecs.spec(100)), Map.of());
        local.apply(new Vlan(101), SpecCodec.render(TestSpecs.spec(101)), Map.of());
        hv.with(new DomainStatus("headnode-vlan100", "u1", RunState.RUNNING, true, true, "<domain/>"));
        hv.with(new DomainStatus("headnode-vlan101", "u2", RunState.RUNNING, true, true, "<domain/>"));
        local.fence();
        assertThat(hv.changes).containsExactlyInAnyOrder("destroy headnode-vlan100", "destroy headnode-vlan101");
        assertThat(local.vlans()).isEmpty();
    }

    @Test
    void fencingDestroysAgainAfterAPassInFlightThatStartedTheHeadNodeFromTheSpecItHadRead() throws Exception {
        local.apply(v, SpecCodec.render(TestSpecs.spec(100)), Map.of());
        hv.with(new DomainStatus("headnode-vlan100", "u1", RunState.RUNNING, true, true, "<domain/>"));
        SpecStore specs = new SpecStore(config);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        // a reconcile pass: it holds the VLAN's lock, read the spec before fencing, and starts the head node once
        // fencing has destroyed it (the start a destroy's domain event used to cause)
        Thread pass = new Thread(() -> {
            try (var held = new io.headnode.orchestrator.reconcile.VlanLock(new HeadnodePaths(config)).acquire(v)) {
                holding.countDown();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> hv.state("headnode-vlan100") == RunState.SHUTOFF);
                hv.start("headnode-vlan100");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        pass.start();
        assertThat(holding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        local.fence();
        pass.join(10_000);
        assertThat(hv.changes).containsExactly("destroy headnode-vlan100", "start headnode-vlan100", "destroy headnode-vlan100");
        assertThat(hv.state("headnode-vlan100")).isEqualTo(RunState.SHUTOFF);
        assertThat(specs.read(v).orElseThrow().present()).as("marked absent: every later pass deletes").isFalse();
    }
}
