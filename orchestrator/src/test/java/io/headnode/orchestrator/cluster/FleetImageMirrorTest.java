package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.CommandSpec;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.orchestrator.disk.OverlayDisk;
import io.headnode.orchestrator.images.ImageStore;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host's copy of the fleet's image catalog, with the real qemu-img, in temp dirs. */
class FleetImageMirrorTest {
    @TempDir
    Path tmp;
    final AtomicInteger converts = new AtomicInteger();
    ImageStore hostStore;
    FleetImageMirror mirror;
    Path raw;
    FleetImage entry;

    @BeforeEach
    void setUp() throws Exception {
        CommandRunner real = new ProcessCommandRunner(List.of());
        CommandRunner counting = new CommandRunner() {
            @Override
            public CommandResult run(CommandSpec spec) {
                if (spec.argv().contains("convert")) {
                    converts.incrementAndGet();
                }
                return real.run(spec);
            }
        };
        hostStore = new ImageStore(tmp.resolve("host/images"), new OverlayDisk(counting), counting, Clock.systemUTC());
        mirror = new FleetImageMirror(hostStore);
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        raw = tmp.resolve("shared/disk.raw");
        Files.createDirectories(raw.getParent());
        Files.write(raw, data);
        // the admin's add: the entry as every host will compute it, here through a qcow2 source
        Path qcow = tmp.resolve("shared/disk.qcow2");
        Command.check("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow.toString());
        ImageEntry e = hostStore.in(tmp.resolve("admin")).add(qcow, new ImageName("debian-12"));
        entry = new FleetImage(e, qcow);
        converts.set(0);
    }

    static FleetImages fleet(FleetImage... images) {
        Map<String, byte[]> nodes = new java.util.TreeMap<>();
        for (FleetImage f : images) {
            nodes.put(FleetImage.nodeName(f.name()), f.encode());
        }
        return FleetImages.decode(nodes);
    }

    @Test
    void anImageOfTheFleetIsCopiedOnceAndRemovedWhenTheFleetDropsIt() throws Exception {
        assertThat(mirror.toCopy(fleet(entry))).containsExactly(entry.name());
        assertThat(mirror.sync(fleet(entry))).isEmpty();
        ImageEntry here = hostStore.catalog().read(entry.name()).orElseThrow();
        assertThat(here.sha256()).isEqualTo(entry.entry().sha256());
        assertThat(here.sourceFormat()).isEqualTo("qcow2");
        assertThat(converts.get()).isEqualTo(1);
        assertThat(mirror.sync(fleet(entry))).isEmpty();
        assertThat(mirror.toCopy(fleet(entry))).isEmpty();
        assertThat(converts.get()).isEqualTo(1); // held: not copied again

        assertThat(mirror.sync(fleet())).isEmpty();
        assertThat(hostStore.catalog().read(entry.name())).isEmpty();
        assertThat(hostStore.catalog().dataFile(entry.name())).doesNotExist();
    }

    @Test
    void aMissingOrDifferentSourceIsReportedNotKeptAndNotConvertedAgainUntilItChanges() throws Exception {
        FleetImage absent = new FleetImage(entry.entry(), tmp.resolve("shared/absent.qcow2"));
        assertThat(mirror.sync(fleet(absent))).containsExactly(Map.entry(entry.name(), FleetImageMirror.NO_SOURCE));

        Path other = tmp.resolve("shared/other.raw");
        Files.write(other, new byte[1 << 20]);
        FleetImage differs = new FleetImage(entry.entry(), other);
        assertThat(mirror.sync(fleet(differs))).containsExactly(Map.entry(entry.name(), FleetImageMirror.DIFFERS));
        assertThat(hostStore.catalog().read(entry.name())).isEmpty();
        assertThat(converts.get()).isEqualTo(1);
        assertThat(mirror.toCopy(fleet(differs))).isEmpty();
        assertThat(mirror.sync(fleet(differs))).containsExactly(Map.entry(entry.name(), FleetImageMirror.DIFFERS));
        assertThat(converts.get()).as("an unchanged failing source is not converted again").isEqualTo(1);

        Files.copy(raw, other, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // fixed: the right bytes
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(mirror.sync(fleet(differs))).isEmpty();
        assertThat(hostStore.catalog().read(entry.name()).orElseThrow().sha256()).isEqualTo(entry.entry().sha256());
    }

    @Test
    void aLocalImageWithOtherBytesIsReplacedByTheFleets() throws Exception {
        Path wrong = tmp.resolve("wrong.raw");
        Files.write(wrong, new byte[1 << 20]);
        hostStore.add(wrong, entry.name());
        assertThat(mirror.sync(fleet(entry))).isEmpty();
        assertThat(hostStore.catalog().read(entry.name()).orElseThrow().sha256()).isEqualTo(entry.entry().sha256());
    }
}
