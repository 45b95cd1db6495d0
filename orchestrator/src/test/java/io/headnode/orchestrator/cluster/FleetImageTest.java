package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.contract.Sha256;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fleet catalog's node ({@link FleetImage}), the catalog read ({@link FleetImages}) and a host's images-missing. */
class FleetImageTest {
    static final Sha256 SHA = Sha256.parse("a".repeat(64));
    static final ImageEntry ENTRY = new ImageEntry(new ImageName("debian-12"), 3 << 20, SHA, "qcow2", Optional.of(Instant.parse("2026-12-02T15:00:00Z")));

    @Test
    void anEntryWithItsSourceRoundTrips() throws Exception {
        FleetImage f = new FleetImage(ENTRY, Path.of("/srv/images/debian-12.qcow2"));
        byte[] data = f.encode();
        assertThat(new String(data, StandardCharsets.UTF_8)).contains("sha256 = " + "a".repeat(64), "source = /srv/images/debian-12.qcow2");
        assertThat(FleetImage.decode("zookeeper:/images/debian-12.image", data)).isEqualTo(f);
    }

    @Test
    void aNodeWithoutSourceOrWithARelativeOneIsRefusedNamingTheField() {
        byte[] noSource = ENTRY.render();
        assertThatThrownBy(() -> FleetImage.decode("zookeeper:/images/debian-12.image", noSource))
                .isInstanceOf(ShareFormatException.class).hasMessageContaining("source").hasMessageContaining("missing");
        byte[] relative = (new String(ENTRY.render(), StandardCharsets.UTF_8) + "source = images/x.raw\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FleetImage.decode("zookeeper:/images/debian-12.image", relative))
                .isInstanceOf(ShareFormatException.class).hasMessageContaining("source").hasMessageContaining("absolute");
        byte[] twice = (new String(new FleetImage(ENTRY, Path.of("/a")).encode(), StandardCharsets.UTF_8) + "source = /b\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FleetImage.decode("zookeeper:/images/debian-12.image", twice)).hasMessageContaining("twice");
    }

    @Test
    void theCatalogKeepsGoodEntriesAndNamesTheBadOnes() {
        byte[] good = new FleetImage(ENTRY, Path.of("/srv/d.qcow2")).encode();
        FleetImages read = FleetImages.decode(Map.of("debian-12.image", good, "other.image", good, "junk", good));
        assertThat(read.images()).containsOnlyKeys(new ImageName("debian-12"));
        assertThat(read.errors()).hasSize(2);
        assertThat(read.errors().get(0).getMessage()).contains("zookeeper:/images/junk");
        assertThat(read.errors().get(1).getMessage()).contains("other.image"); // the name inside must be the node's
    }

    @Test
    void aHostRegistersTheImagesItLacksWithWhy() throws Exception {
        HostRecord r = new HostRecord(new HostCapacity(new HostId("hv2"), 4096, 10, false), List.of("br0"), 1, Map.of(new Vlan(7), 2L),
                Map.of(new ImageName("debian-12"), "no-source", new ImageName("rocky-9"), "copying"));
        HostRecord back = HostRecord.decode(r.host(), "/hosts/hv2", r.encode());
        assertThat(back).isEqualTo(r);
        assertThat(new String(r.encode(), StandardCharsets.UTF_8)).contains("images-missing = debian-12:no-source rocky-9:copying");
        assertThat(new String(new HostRecord(r.capacity(), r.bridges(), 1).encode(), StandardCharsets.UTF_8)).doesNotContain("images-missing");
        assertThatThrownBy(() -> HostRecord.decode(r.host(), "/hosts/hv2", "images-missing = debian-12\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("images-missing");
    }
}
