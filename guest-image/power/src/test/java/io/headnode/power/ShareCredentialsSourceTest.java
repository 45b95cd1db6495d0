package io.headnode.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.Machine;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareCredentialsSourceTest {
    @TempDir
    Path dir;

    private CredentialsSource source() {
        return Fixtures.credentials(new ShareLayout(dir));
    }

    private void credentials(String content) throws Exception {
        Path c = dir.resolve("credentials.conf");
        Files.writeString(c, content);
        Files.setPosixFilePermissions(c, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(c, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    }

    @Test
    void defaultsWhenFilesAreMissingAndRereadsOnChange() throws Exception {
        CredentialsSource s = source();
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
        CredentialsSource s = source();
        Machine m = Fixtures.machine(1, "10.0.0.1");
        Fixtures.share(dir, "", "* driver=ipmi user=a secret=b\n");
        assertThat(s.lookup(m)).isPresent();
        credentials("* driver=ipmi user=a secret=b\n10.0.0.1 driver=bogus\n");
        assertThat(s.lookup(m).orElseThrow().driver()).contains("ipmi");
        credentials("* driver=ipmi user=a secret=b\n10.0.0.2 driver=ipmi user=a secret=b");
        assertThat(s.lookup(m).orElseThrow().driver()).contains("ipmi");

        CredentialsSource fresh = source();
        assertThatThrownBy(() -> fresh.lookup(m)).isInstanceOf(ShareFormatException.class)
                .hasMessage("credentials.conf:2: file: incomplete: the last line has no newline (truncated or torn write)");
        credentials("* driver=ipmi user=a secret=b\n10.0.0.1 driver=bogus\n");
        assertThatThrownBy(() -> fresh.lookup(m)).hasMessage("credentials.conf:2: driver: 'bogus' is unknown (known: amt, ipmi, libvirt, redfish)");
        assertThatThrownBy(() -> fresh.defaultDriver()).hasMessageStartingWith("credentials.conf:2: driver:");
    }

    @Test
    void entriesAreCheckedAgainstTheOptionsTheirDriverDeclares() throws Exception {
        Files.writeString(dir.resolve("headnode.conf"), "vlan = 7\npower-driver = redfish\n");
        String[][] cases = {
                {"10.0.0.1 driver=ipmi user=a secret=b uri=x:y\n", "credentials.conf:1: uri: unknown option for driver ipmi (known: cipher, privilege)"},
                {"10.0.0.1 driver=ipmi user=a\n", "credentials.conf:1: secret: missing (driver ipmi needs a secret)"},
                {"52:54:00:aa:00:01 driver=libvirt uri=test:///default\n", "credentials.conf:1: domain: missing (driver libvirt needs uri and domain)"},
                {"# redfish by default\n10.0.0.1 user=a secret=b auth=digest\n", "credentials.conf:2: auth: 'digest' is not session or basic"},
                {"* secret=b\n", "credentials.conf:1: user: missing (driver redfish needs a user)"},
                {"10.0.0.1 driver=amt secret=b protocol=soap\n", "credentials.conf:1: protocol: 'soap' is not wsman or form"},
                {"10.0.0.1 driver=amt secret=b ca=/etc/ssl/x.pem\n", "credentials.conf:1: ca: '/etc/ssl/x.pem' is not a PEM file in the share (a path relative to it)"},
                {"10.0.0.1 driver=ipmi secret=b cipher=x\n", "credentials.conf:1: cipher: 'x' is not an IPMI cipher suite number"},
        };
        for (String[] c : cases) {
            credentials(c[0]);
            assertThatThrownBy(() -> source().lookup(Fixtures.machine(1, "10.0.0.1"))).as(c[0]).hasMessage(c[1]);
        }
        credentials("* user=a secret=b auth=basic system=/redfish/v1/Systems/1 ca=certs/bmc.pem\n"
                + "10.0.0.2 driver=ipmi secret=b cipher=17 privilege=OPERATOR\n"
                + "10.0.0.3 driver=amt secret=b protocol=form tls=yes\n"
                + "52:54:00:aa:00:01 driver=libvirt uri=qemu:///system domain=n1\n");
        assertThat(source().lookup(Fixtures.machine(1, "10.0.0.1")).orElseThrow().driver()).contains("libvirt");
    }

    @Test
    void aBrokenFileWithoutGoodVersionIsARefusalNotACrash() throws Exception {
        ShareLayout share = Fixtures.share(dir, "", "* driver=ipmi user=a\n");
        PowerOutcome o = Fixtures.service(share, Fixtures.fast()).status(Fixtures.machine(1, "10.0.0.1"));
        assertThat(o.kind()).isEqualTo(PowerOutcome.Kind.REFUSED);
        assertThat(o.detail()).contains("credentials.conf:1: secret: missing");
    }

    @Test
    void aCredentialsFileThatIsAFifoOrALinkOutOfTheShareIsRefused() throws Exception {
        Files.createSymbolicLink(dir.resolve("credentials.conf"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> source().lookup(Fixtures.machine(1, "10.0.0.1"))).hasMessageStartingWith("credentials.conf: file: leads outside");
    }
}
