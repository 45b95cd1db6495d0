package io.headnode.agent.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.ShareLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareReaderTest {
    static final String CONF = "vlan = 7\nprivate-address = 10.0.7.1/24\n";

    @Test
    void missingShareOrFilesAreReportedAsSuch(@TempDir Path dir) throws Exception {
        assertThat(new ShareReader(new ShareLayout(dir.resolve("nope"))).read().share().text()).isEqualTo("missing");
        assertThat(new ShareReader(new ShareLayout(dir)).read().share().text()).isEqualTo("missing");
        Files.writeString(dir.resolve("headnode.conf"), CONF);
        assertThat(new ShareReader(new ShareLayout(dir)).read().share().text()).isEqualTo("invalid: machines.txt: file: missing");
    }

    @Test
    void validShareGivesASnapshot(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("headnode.conf"), CONF);
        Files.writeString(dir.resolve("machines.txt"), "52:54:00:00:00:0a 10.1.0.1\n");
        ShareReading r = new ShareReader(new ShareLayout(dir)).read();
        assertThat(r.share().text()).isEqualTo("mounted-ro");
        assertThat(r.snapshot().orElseThrow().machines().machines()).hasSize(1);
        assertThat(r.snapshot().orElseThrow().config().vlan().id()).isEqualTo(7);
    }

    @Test
    void anUnchangedShareIsNotParsedAgainButAReplacedFileIs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("headnode.conf"), CONF);
        Files.writeString(dir.resolve("machines.txt"), "52:54:00:00:00:0a 10.1.0.1\n");
        ShareReader reader = new ShareReader(new ShareLayout(dir));
        ShareReading first = reader.read();
        assertThat(reader.read()).isSameAs(first);
        // the host replaces files by rename: same size, other content, other inode
        Path tmp = dir.resolve(".machines.tmp");
        Files.writeString(tmp, "52:54:00:00:00:0b 10.1.0.1\n");
        Files.move(tmp, dir.resolve("machines.txt"), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ShareReading second = reader.read();
        assertThat(second).isNotSameAs(first);
        assertThat(second.snapshot().orElseThrow().machines().machines().get(0).mac().value()).isEqualTo("52:54:00:00:00:0b");
        Files.delete(dir.resolve("machines.txt"));
        assertThat(reader.read().share().text()).isEqualTo("invalid: machines.txt: file: missing");
    }

    @Test
    void truncatedFileIsIncompleteWithItsLastLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("headnode.conf"), CONF);
        Files.writeString(dir.resolve("machines.txt"), "52:54:00:00:00:0a 10.1.0.1\n52:54:00:00:00:0b 10.1");
        assertThat(new ShareReader(new ShareLayout(dir)).read().share().text())
                .isEqualTo("invalid: machines.txt:2: file: incomplete: the last line has no newline (truncated or torn write)");
    }

    @Test
    void badContentNamesFileLineAndField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("headnode.conf"), CONF + "install-attempts = many\n");
        Files.writeString(dir.resolve("machines.txt"), "52:54:00:00:00:0a 10.1.0.1\n");
        assertThat(new ShareReader(new ShareLayout(dir)).read().problem()).startsWith("headnode.conf:3: install-attempts:");
        Files.writeString(dir.resolve("headnode.conf"), CONF);
        Files.writeString(dir.resolve("machines.txt"), "# nodes\n52:54:00:00:00:0a 10.1.0.1\n52:54:00:00:00:0a 10.1.0.2\n");
        assertThat(new ShareReader(new ShareLayout(dir)).read().problem()).isEqualTo("machines.txt:3: mac: 52:54:00:00:00:0a is already listed on line 2");
    }

    @Test
    void aLinkOutOfTheShareIsInvalidNotRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("headnode.conf"), CONF);
        Files.createSymbolicLink(dir.resolve("machines.txt"), Path.of("/dev/zero"));
        assertThat(new ShareReader(new ShareLayout(dir)).read().problem()).startsWith("machines.txt: file: leads outside " + dir);
    }

    @Test
    void emptyMachineListIsValid(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("headnode.conf"), CONF);
        Files.writeString(dir.resolve("machines.txt"), "");
        assertThat(new ShareReader(new ShareLayout(dir)).read().kind()).isEqualTo(ShareReading.Kind.VALID);
    }

    @Test
    void theInstallKeyIsReadWhenPresentAndABadOneNamesFileLineAndField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("headnode.conf"), CONF);
        Files.writeString(dir.resolve("machines.txt"), "52:54:00:00:00:0a 10.1.0.1\n");
        ShareReader reader = new ShareReader(new ShareLayout(dir));
        assertThat(reader.read().snapshot().orElseThrow().installKey()).isEmpty();
        String hex = "ab".repeat(32);
        Files.writeString(dir.resolve("install.key"), hex + "\n");
        assertThat(reader.read().snapshot().orElseThrow().installKey())
                .hasValue(io.headnode.contract.InstallKey.of(java.util.HexFormat.of().parseHex(hex)));
        Files.writeString(dir.resolve("install.key"), "# key\nab\n");
        ShareReading bad = reader.read();
        assertThat(bad.kind()).isEqualTo(ShareReading.Kind.INVALID);
        assertThat(bad.problem()).isEqualTo("install.key:2: install-key: expected 64 hex digits (32 bytes), found 2 characters");
    }
}
