package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {
    private static final String SAMPLE = """
            # test
            *                  user=admin secret=amt%20pass%23x
            10.0.0.7           driver=ipmi user=root secret=calvin cipher=3
            10.0.0.8:8443      driver=redfish user=root secret=pw auth=session ca=bmc-ca.pem
            10.0.0.9           driver=amt user=admin secret=s protocol=form
            52:54:00:AA:00:01  driver=libvirt uri=test:///default domain=node1
            """;

    private static CredentialsFile sample() throws ShareFormatException {
        return CredentialsFile.parse("credentials.conf", SAMPLE.getBytes(StandardCharsets.UTF_8));
    }

    private static Machine machine(String mac, String bmc) {
        return new Machine(MacAddress.parse(mac), BmcAddress.parse(bmc));
    }

    @Test
    void parsesEntriesAndUnescapesValues() throws Exception {
        CredentialsFile f = sample();
        assertThat(f.entries()).hasSize(5);
        BmcCredentials any = f.entries().get(0);
        assertThat(any.driver()).isEmpty();
        assertThat(any.secret().orElseThrow().reveal()).isEqualTo("amt pass#x");
        assertThat(any.driverOr("amt")).isEqualTo("amt");
        assertThat(f.entries().get(4).options()).isEqualTo(Map.of("uri", "test:///default", "domain", "node1"));
    }

    @Test
    void lookupPrefersMacThenExactAddressThenHostThenWildcard() throws Exception {
        CredentialsFile f = sample();
        assertThat(f.lookup(machine("52:54:00:aa:00:01", "10.0.0.7")).orElseThrow().driver()).contains("libvirt");
        assertThat(f.lookup(machine("52:54:00:aa:00:02", "10.0.0.8:8443")).orElseThrow().driver()).contains("redfish");
        assertThat(f.lookup(machine("52:54:00:aa:00:02", "10.0.0.7:623")).orElseThrow().driver()).contains("ipmi");
        assertThat(f.lookup(machine("52:54:00:aa:00:02", "10.0.0.8")).orElseThrow().key()).isEqualTo(new BmcCredentials.AnyKey());
        assertThat(CredentialsFile.empty().lookup(machine("52:54:00:aa:00:02", "10.0.0.8"))).isEmpty();
    }

    @Test
    void secretsNeverInToStringOrErrors() throws Exception {
        CredentialsFile f = sample();
        assertThat(f.toString()).doesNotContain("calvin").doesNotContain("amt pass").contains("<secret>").contains("user=root");
        assertThatThrownBy(() -> CredentialsFile.parse("c.conf", "* secret=ab%zzcalvin user=x\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("c.conf:1: secret: bad % escape").satisfies(e -> assertThat(e.getMessage()).doesNotContain("calvin"));
    }

    @Test
    void errorsNameFileLineAndField() {
        assertThatThrownBy(() -> parse("\n10.0.0.1 driver=smoke user=a secret=b\n"))
                .hasMessageStartingWith("c.conf:2: driver: 'smoke' is unknown");
        assertThatThrownBy(() -> parse("10.0.0.1 driver=ipmi user=a secret=b uri=x:y\n"))
                .hasMessageStartingWith("c.conf:1: uri: unknown field for driver ipmi");
        assertThatThrownBy(() -> parse("10.0.0.1 driver=ipmi user=a\n"))
                .hasMessageStartingWith("c.conf:1: secret: missing");
        assertThatThrownBy(() -> parse("aa:bb driver=ipmi user=a secret=b\n"))
                .hasMessageStartingWith("c.conf:1: key:");
        assertThatThrownBy(() -> parse("10.0.0.1 user=a secret=b\n10.0.0.1 user=c secret=d\n"))
                .hasMessage("c.conf:2: key: 10.0.0.1 already has an entry on line 1");
        assertThatThrownBy(() -> parse("52:54:00:aa:00:01 driver=libvirt uri=test:///default\n"))
                .hasMessageStartingWith("c.conf:1: domain: missing");
        assertThatThrownBy(() -> parse("10.0.0.1 driver=redfish user=a secret=b auth=digest\n"))
                .hasMessage("c.conf:1: auth: 'digest' is not session or basic");
        assertThatThrownBy(() -> parse("10.0.0.1 user\n")).hasMessage("c.conf:1: user: expected name=value");
    }

    private static CredentialsFile parse(String s) throws ShareFormatException {
        return CredentialsFile.parse("c.conf", s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesMode0600AndRoundTrips(@TempDir Path dir) throws Exception {
        CredentialsFile f = new CredentialsFile(List.of(new BmcCredentials(new BmcCredentials.BmcKey(BmcAddress.parse("10.0.0.1")),
                Optional.of("ipmi"), Optional.of("root"), Optional.of(new Secret("p a%s#s=1")), Map.of("cipher", "3"))));
        Path p = dir.resolve(CredentialsFile.FILE_NAME);
        assertThat(f.write(p)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        assertThat(CredentialsFile.read(p)).isEqualTo(f);
        assertThat(f.write(p)).isFalse();
    }

    @Test
    void refusesAFileOthersCanRead(@TempDir Path dir) throws Exception {
        Path p = dir.resolve(CredentialsFile.FILE_NAME);
        Files.writeString(p, "* user=a secret=b\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> CredentialsFile.read(p)).isInstanceOf(ShareFormatException.class)
                .hasMessageContaining("mode: is rw-r--r--");
    }
}
