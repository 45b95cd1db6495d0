package io.headnode.orchestrator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecCodecTest {
    static HeadnodeSpec spec(int vlan) {
        Vlan v = new Vlan(vlan);
        return new HeadnodeSpec(v, true, false, Optional.of("eth2"), "br0", 1024, 2, Path.of("/img/headnode.qcow2"),
                Optional.of(Path.of("/img/vmlinuz")), Optional.of(Path.of("/img/initrd.img")), Optional.of("root=/dev/vda quiet"),
                HeadnodeSpec.uuidFor(v), HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v));
    }

    @Test
    void roundTrips() throws Exception {
        HeadnodeSpec s = spec(100);
        assertThat(SpecCodec.parse("100.spec", SpecCodec.render(s))).isEqualTo(s);
        HeadnodeSpec absent = s.markedAbsent(true);
        assertThat(SpecCodec.parse("100.spec", SpecCodec.render(absent))).isEqualTo(absent);
    }

    @Test
    void derivedIdentityIsDeterministicUnicastAndDistinctPerVlan() {
        assertThat(HeadnodeSpec.vlanMacFor(new Vlan(100)).toString()).isEqualTo("02:48:4e:00:00:64");
        assertThat(HeadnodeSpec.publicMacFor(new Vlan(100)).toString()).isEqualTo("02:48:4e:01:00:64");
        assertThat(HeadnodeSpec.vlanMacFor(new Vlan(4094)).toString()).isEqualTo("02:48:4e:00:0f:fe");
        assertThat(HeadnodeSpec.uuidFor(new Vlan(1))).isEqualTo(HeadnodeSpec.uuidFor(new Vlan(1))).isNotEqualTo(HeadnodeSpec.uuidFor(new Vlan(2)));
    }

    @Test
    void errorsNameFileLineAndKey() {
        String good = new String(SpecCodec.render(spec(7)), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SpecCodec.parse("7.spec", (good + "colour = red\n").getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("7.spec:15: colour: unknown key");
        assertThatThrownBy(() -> SpecCodec.parse("7.spec", good.replace("vlan = 7", "vlan = 5000").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("7.spec:2: vlan: VLAN 5000 is outside 1..4094");
        assertThatThrownBy(() -> SpecCodec.parse("7.spec", good.replace("memory-mib = 1024", "memory-mib = lots").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("7.spec:6: memory-mib:");
        assertThatThrownBy(() -> SpecCodec.parse("7.spec", good.replaceAll("(?m)^uuid = .*\n", "").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("7.spec: uuid: missing");
        assertThatThrownBy(() -> SpecCodec.parse("7.spec", good.replace("vlan-mac = 02:48:4e:00:00:07", "vlan-mac = 01:00:5e:00:00:01").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("vlan-mac: '01:00:5e:00:00:01' is a multicast MAC address");
        assertThatThrownBy(() -> SpecCodec.parse("7.spec", good.replace("memory-mib = 1024", "memory-mib = 32").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("7.spec:6: memory-mib: 32 MiB is outside 64..1048576");
        assertThatThrownBy(() -> SpecCodec.parse("7.spec", good.replace("state = present", "state = maybe").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("7.spec:3: state: 'maybe' must be present or absent");
    }

    @Test
    void aValueThatWouldNotReadBackIsRefused() {
        Vlan v = new Vlan(3);
        assertThatThrownBy(() -> new HeadnodeSpec(v, true, false, Optional.empty(), "br0", 1024, 1, Path.of("/i"),
                Optional.of(Path.of("/k")), Optional.empty(), Optional.of("quiet #x"), HeadnodeSpec.uuidFor(v), HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v)))
                .hasMessageStartingWith("cmdline: 'quiet #x' cannot be stored");
        HeadnodeSpec hash = new HeadnodeSpec(v, true, false, Optional.empty(), "br0", 1024, 1, Path.of("/img/a#1.qcow2"),
                Optional.empty(), Optional.empty(), Optional.empty(), HeadnodeSpec.uuidFor(v), HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v));
        assertThat(hash.image()).isEqualTo(Path.of("/img/a#1.qcow2"));
    }

    @Test
    void specsWrittenBeforeStillParse() throws Exception {
        String old = "# desired head node, written by headnode; edit with headnode create/delete\nvlan = 7\nstate = absent\npurge = true\n"
                + "public-bridge = br0\nmemory-mib = 1024\nvcpus = 1\nimage = /var/lib/headnode/images/headnode.qcow2\n"
                + "uuid = " + HeadnodeSpec.uuidFor(new Vlan(7)) + "\nvlan-mac = 02:48:4e:00:00:07\npublic-mac = 02:48:4e:01:00:07\n";
        HeadnodeSpec s = SpecCodec.parse("7.spec", old.getBytes(StandardCharsets.UTF_8));
        assertThat(s.present()).isFalse();
        assertThat(s.purge()).isTrue();
        assertThat(SpecCodec.render(s)).isEqualTo(old.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsInconsistentSpecs() {
        Vlan v = new Vlan(3);
        assertThatThrownBy(() -> new HeadnodeSpec(v, true, false, Optional.of("enp1s0f0longer"), "br0", 1024, 1, Path.of("/i"),
                Optional.empty(), Optional.empty(), Optional.empty(), HeadnodeSpec.uuidFor(v), HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v)))
                .hasMessageContaining("longer than 15");
        assertThatThrownBy(() -> new HeadnodeSpec(v, true, false, Optional.empty(), "br0", 1024, 1, Path.of("/i"),
                Optional.empty(), Optional.of(Path.of("/initrd")), Optional.empty(), HeadnodeSpec.uuidFor(v), HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v)))
                .hasMessage("initrd: given without kernel");
        assertThatThrownBy(() -> new HeadnodeSpec(v, true, false, Optional.empty(), "br0", 32, 1, Path.of("/i"),
                Optional.empty(), Optional.empty(), Optional.empty(), HeadnodeSpec.uuidFor(v), HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v)))
                .hasMessage("memory-mib: 32 MiB is outside 64..1048576");
    }
}
