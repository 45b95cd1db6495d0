package io.headnode.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Machine;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareCredentialsSourceTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWhenFilesAreMissingAndRereadsOnChange() throws Exception {
        ShareCredentialsSource s = new ShareCredentialsSource(new ShareLayout(dir));
        Machine m = Fixtures.machine(1, "10.0.0.1");
        assertThat(s.defaultDriver()).isEqualTo("amt");
        assertThat(s.lookup(m)).isEmpty();
        Fixtures.share(dir, "", "* driver=ipmi user=a secret=b\n");
        Files.writeString(dir.resolve("headnode.conf"), "vlan = 7\npower-driver = redfish\n");
        assertThat(s.lookup(m).orElseThrow().driver()).contains("ipmi");
        assertThat(s.defaultDriver()).isEqualTo("redfish");
    }

    @Test
    void aBrokenFileKeepsTheLastGoodVersion() throws Exception {
        ShareCredentialsSource s = new ShareCredentialsSource(new ShareLayout(dir));
        Machine m = Fixtures.machine(1, "10.0.0.1");
        Fixtures.share(dir, "", "* driver=ipmi user=a secret=b\n");
        assertThat(s.lookup(m)).isPresent();
        Path c = dir.resolve("credentials.conf");
        Files.writeString(c, "* driver=ipmi user=a secret=b\n10.0.0.1 driver=bogus\n");
        Files.setLastModifiedTime(c, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(s.lookup(m).orElseThrow().driver()).contains("ipmi");

        ShareCredentialsSource fresh = new ShareCredentialsSource(new ShareLayout(dir));
        assertThatThrownBy(() -> fresh.lookup(m)).isInstanceOf(ShareFormatException.class).hasMessageContaining("credentials.conf:2: driver");
    }

    @Test
    void aBrokenFileWithoutGoodVersionIsARefusalNotACrash() throws Exception {
        ShareLayout share = Fixtures.share(dir, "", "* driver=ipmi user=a\n");
        PowerOutcome o = Fixtures.service(share, Fixtures.fast()).status(Fixtures.machine(1, "10.0.0.1"));
        assertThat(o.kind()).isEqualTo(PowerOutcome.Kind.REFUSED);
        assertThat(o.detail()).contains("credentials.conf:1: secret: missing");
    }
}
