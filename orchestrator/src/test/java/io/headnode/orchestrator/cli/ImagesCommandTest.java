package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.contract.InstallRequest;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.images.ImageStore;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headnode images add|list|rm} and {@code install --image} against real qemu-img, in a temp host root. */
class ImagesCommandTest {
    @TempDir
    Path tmp;
    TestHost host;
    Path raw;
    String rawSha;

    @BeforeEach
    void host() throws Exception {
        host = new TestHost(tmp, "test:///default", List.of(), "br0");
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        java.util.Arrays.fill(data, 1 << 20, 2 << 20, (byte) 0); // a zero MiB: raw stays sparse, qcow2 skips it
        raw = tmp.resolve("src/disk.img");
        Files.createDirectories(raw.getParent());
        Files.write(raw, data);
        rawSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    ImageCatalog catalog() {
        return new ImageCatalog(host.config.imageDir());
    }

    @Test
    void aQcow2IsDetectedByContentNotNameAndConvertedToRawOnce() throws Exception {
        Path qcow = tmp.resolve("src/misleading.raw"); // a qcow2 under a raw-looking name
        Command.check("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow.toString());
        TestHost.Run r = host.cli("images", "add", qcow.toString(), "--name", "debian-12");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("image debian-12 added: qcow2 converted to raw, 3145728 bytes (3.0 MiB), sha256 " + rawSha);
        ImageEntry e = catalog().read(new ImageName("debian-12")).orElseThrow();
        assertThat(e.sourceFormat()).isEqualTo("qcow2");
        assertThat(e.size()).isEqualTo(3 << 20);
        assertThat(e.sha256().hex()).isEqualTo(rawSha);
        Path data = catalog().dataFile(e.name());
        assertThat(Files.size(data)).isEqualTo(3 << 20);
        assertThat(ImageStore.digest(data).sha256().hex()).isEqualTo(rawSha);
        assertThat(Command.check("qemu-img", "info", "--output=json", data.toString()).stdout()).contains("\"format\": \"raw\"");
        try (Stream<Path> s = Files.list(host.config.imageDir())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("debian-12.raw", "debian-12.image", ".lock");
        }
    }

    @Test
    void aRawImageKeepsItsBytesAndDefaultsItsNameFromTheFile() throws Exception {
        TestHost.Run r = host.cli("images", "add", raw.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("image disk added: raw, 3145728 bytes");
        assertThat(catalog().read(new ImageName("disk")).orElseThrow().sha256().hex()).isEqualTo(rawSha);
        TestHost.Run again = host.cli("images", "add", raw.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("image disk exists already");
        TestHost.Run list = host.cli("images", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("NAME").contains("disk").contains("3.0 MiB").contains(rawSha);
    }

    @Test
    void otherFormatsBadNamesAndMissingFilesAreRefused() throws Exception {
        Path vmdk = tmp.resolve("src/x.vmdk");
        Command.check("qemu-img", "convert", "-f", "raw", "-O", "vmdk", raw.toString(), vmdk.toString());
        TestHost.Run r = host.cli("images", "add", vmdk.toString(), "--name", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("format vmdk (detected from its content); only raw and qcow2 are taken");
        Path base = tmp.resolve("src/base.qcow2");
        Path over = tmp.resolve("src/over.qcow2");
        Command.check("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), base.toString());
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", over.toString());
        assertThat(host.cli("images", "add", over.toString(), "--name", "o").err()).contains("a qcow2 with a backing file");
        TestHost.Run bad = host.cli("images", "add", raw.toString(), "--name", "../etc");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'../etc' is not an image name");
        assertThat(host.cli("images", "add", tmp.resolve("none").toString(), "--name", "n").exitCode()).isEqualTo(1);
        assertThat(catalog().list().images()).isEmpty();
        if (Files.exists(host.config.imageDir())) {
            try (Stream<Path> s = Files.list(host.config.imageDir())) {
                assertThat(s.map(p -> p.getFileName().toString())).containsOnly(".lock");
            }
        }
    }

    @Test
    void rmIsRefusedWhileAFreshInstallRequestNamesTheImage() throws Exception {
        assertThat(host.cli("images", "add", raw.toString(), "--name", "deb").exitCode()).isZero();
        Path share = host.shareDir(10);
        Files.createDirectories(share);
        Files.writeString(share.resolve("machines.txt"), "aa:bb:cc:dd:ee:01 10.0.0.1\n");
        TestHost.Run unknown = host.cli("install", "--vlan", "10", "--image", "nope", "aa:bb:cc:dd:ee:01");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no image nope in");
        assertThat(host.cli("install", "--vlan", "10", "--target-disk", "/dev/sdb", "--all").err()).contains("--target-disk needs --image");
        TestHost.Run install = host.cli("install", "--vlan", "10", "--image", "deb", "--target-disk", "/dev/sdb", "aa:bb:cc:dd:ee:01");
        assertThat(install.exitCode()).as(install.toString()).isZero();
        Path request;
        try (Stream<Path> s = Files.list(share.resolve(InstallRequest.DIRECTORY))) {
            request = s.findFirst().orElseThrow();
        }
        String id = request.getFileName().toString().replace(InstallRequest.SUFFIX, "");
        InstallRequest parsed = InstallRequest.parse(request.toString(), id, Files.readAllBytes(request));
        assertThat(parsed.image()).contains(new ImageName("deb"));
        assertThat(parsed.targetDisk().orElseThrow().path()).isEqualTo("/dev/sdb");
        assertThat(parsed.profile()).contains("image");

        TestHost.Run refused = host.cli("images", "rm", "deb");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("image deb is named by install request " + id + " of VLAN 10").contains("refused");
        assertThat(catalog().read(new ImageName("deb"))).isPresent();

        // older than the VLAN's install deadline (2 h by default): it cannot be running any more
        Files.setLastModifiedTime(request, FileTime.from(Instant.now().minus(3, ChronoUnit.HOURS)));
        TestHost.Run rm = host.cli("images", "rm", "deb");
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(catalog().read(new ImageName("deb"))).isEmpty();
        assertThat(catalog().dataFile(new ImageName("deb"))).doesNotExist();
        assertThat(host.cli("images", "rm", "deb").err()).contains("no image deb");
    }

    @Test
    void forceRemovesWithAWarning() throws Exception {
        assertThat(host.cli("images", "add", raw.toString(), "--name", "deb").exitCode()).isZero();
        Path requests = host.shareDir(3).resolve(InstallRequest.DIRECTORY);
        Files.createDirectories(requests);
        Files.writeString(requests.resolve("r1.install"), "image = deb\nall\n");
        TestHost.Run rm = host.cli("images", "rm", "--force", "deb");
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(rm.err()).contains("warning: image deb is named by install request r1 of VLAN 3");
        assertThat(catalog().list().images()).isEmpty();
    }
}
