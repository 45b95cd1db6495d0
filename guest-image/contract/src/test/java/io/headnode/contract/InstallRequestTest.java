package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InstallRequestTest {
    @Test
    void readsMacsOrAllAndWritesBack() throws Exception {
        InstallRequest r = InstallRequest.parse("requests/r1.install", "r1", "# two\n52-54-00-AA-00-01\n52:54:00:aa:00:02\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.macs()).extracting(MacAddress::value).containsExactly("52:54:00:aa:00:01", "52:54:00:aa:00:02");
        assertThat(InstallRequest.parse("requests/r1.install", "r1", r.render())).isEqualTo(r);
        assertThat(InstallRequest.parse("requests/r2.install", "r2", "all\n".getBytes(StandardCharsets.UTF_8)).all()).isTrue();
    }

    @Test
    void anIdFromAFileNameWithALineBreakIsRefusedOnOneLine() {
        // found by InstallRequestFuzzTest: the id was echoed raw, so a file name could forge a log line
        assertThatThrownBy(() -> InstallRequest.parse("requests/x.install", "bad\nINFO forged", "all\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ShareFormatException.class)
                .hasMessage("requests/x.install: request: request id 'bad\\x0aINFO forged' must be 1-64 of [A-Za-z0-9_.-]");
    }

    @Test
    void anImageRequestNamesItsImageAndOptionallyItsDisk() throws Exception {
        InstallRequest r = InstallRequest.parse("requests/r3.install", "r3",
                "image = debian-12\ntarget-disk = /dev/disk/by-id/wwn-0x5000c500a1b2c3d4\n52:54:00:aa:00:01\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.image()).contains(new ImageName("debian-12"));
        assertThat(r.targetDisk()).contains(new TargetDisk("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4"));
        assertThat(r.profile()).contains(InstallRequest.IMAGE_PROFILE);
        assertThat(InstallRequest.parse("requests/r3.install", "r3", r.render())).isEqualTo(r);
        InstallRequest plain = InstallRequest.parse("requests/r4.install", "r4", "all\n".getBytes(StandardCharsets.UTF_8));
        assertThat(plain.image()).isEmpty();
        assertThat(plain.profile()).isEmpty();
        assertThat(new String(plain.render(), StandardCharsets.UTF_8)).isEqualTo("all\n");
    }

    @Test
    void badImageLinesAreRefusedAtTheirLine() {
        assertThatThrownBy(() -> InstallRequest.parse("f", "r", "all\nimage = ../etc\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ShareFormatException.class).hasMessageStartingWith("f:2: image: '../etc' is not an image name");
        assertThatThrownBy(() -> InstallRequest.parse("f", "r", "all\nimage = a\nimage = b\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("f:3: image: given twice (first on line 2)");
        assertThatThrownBy(() -> InstallRequest.parse("f", "r", "all\ntarget-disk = /dev/sda\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("f:2: target-disk: given without image (a target disk is for image installs)");
        assertThatThrownBy(() -> InstallRequest.parse("f", "r", "all\nimage = a\ntarget-disk = /etc/passwd\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("f:3: target-disk: '/etc/passwd' is not a disk device path");
        assertThatThrownBy(() -> InstallRequest.parse("f", "r", "all\nimage = a\ntarget-disk = /dev/../etc\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("f:3: target-disk: '/dev/../etc' is not a disk device path");
        assertThatThrownBy(() -> InstallRequest.parse("f", "r", "all\nprofile = lab\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("f:2: profile: unknown key (known: image, target-disk)");
    }
}
