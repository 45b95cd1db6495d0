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
    void aValueWithEscapesKeepsLiteralCharactersOutsideTheBasicPlane() throws Exception {
        // found by CredentialsFileFuzzTest (power): with a % escape in the value, an emoji was read back as "??"
        CredentialsFile f = CredentialsFile.parse("c.conf", "* user=\uD83D\uDE00%20x secret=caf\u00e9%25\n".getBytes(StandardCharsets.UTF_8));
        assertThat(f.entries().get(0).user()).contains("\uD83D\uDE00 x");
        assertThat(f.entries().get(0).secret().orElseThrow().reveal()).isEqualTo("caf\u00e9%");
    }

    @Test
    void secretsNeverInToStringOrErrors() throws Exception {
        CredentialsFile f = sample();
        assertThat(f.toString()).doesNotContain("calvin").doesNotContain("amt pass").contains("<secret>").contains("user=root");
        assertThatThrownBy(() -> CredentialsFile.parse("c.conf", "* secret=ab%zzcalvin user=x\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("c.conf:1: secret: bad % escape").satisfies(e -> assertThat(e.getMessage()).doesNotContain("calvin"));
    }

    @Test
    void formErrorsNameFileLineAndField() {
        assertThatThrownBy(() -> parse("aa:bb driver=ipmi user=a secret=b\n"))
                .hasMessageStartingWith("c.conf:1: key:");
        assertThatThrownBy(() -> parse("10.0.0.1 user=a secret=b\n10.0.0.1 user=c secret=d\n"))
                .hasMessage("c.conf:2: key: 10.0.0.1 already has an entry on line 1");
        assertThatThrownBy(() -> parse("10.0.0.1 user\n")).hasMessage("c.conf:1: user: expected name=value");
        assertThatThrownBy(() -> parse("\n10.0.0.1 driver=Smoke!\n")).hasMessage("c.conf:2: driver: 'Smoke!' is not a driver name");
        assertThatThrownBy(() -> parse("10.0.0.1 Cipher=3\n")).hasMessage("c.conf:1: Cipher: is not an option name");
        assertThatThrownBy(() -> parse("10.0.0.1 cipher=3 cipher=4\n")).hasMessage("c.conf:1: cipher: given twice");
        assertThatThrownBy(() -> parse("10.0.0.1 secret=\n")).hasMessage("c.conf:1: secret: is empty");
        assertThatThrownBy(() -> parse("10.0.0.1 user=\n")).hasMessage("c.conf:1: user: is empty");
    }

    @Test
    void theFormIsDriverNeutral() throws Exception {
        CredentialsFile f = parse("10.0.0.1 driver=telnet user=a secret=b port=23 prompt=%3E\n");
        assertThat(f.entries().get(0).driver()).contains("telnet");
        assertThat(f.entries().get(0).options()).isEqualTo(Map.of("port", "23", "prompt", ">"));
    }

    private static final DriverOptions SSH = new DriverOptions("ssh", true, true, List.of(
            DriverOption.choice("cipher", "aes", "aes", "chacha"), DriverOption.of("port", "a port number", v -> v.matches("[0-9]{1,5}"))));
    private static final DriverOptions VM = new DriverOptions("vm", false, false, List.of(
            DriverOption.of("uri", "a URI", v -> v.contains(":")).mandatory(), DriverOption.of("domain", "a domain name", v -> !v.isEmpty()).mandatory()));
    private static final Map<String, DriverOptions> DRIVERS = Map.of("ssh", SSH, "vm", VM);

    @Test
    void validationAgainstTheDeclaringDriverNamesFileLineAndField() throws Exception {
        parse("* user=a secret=b cipher=chacha\n52:54:00:aa:00:01 driver=vm uri=x:y domain=d\n").validate("ssh", DRIVERS);
        assertThatThrownBy(() -> parse("\n10.0.0.1 driver=smoke user=a secret=b\n").validate("ssh", DRIVERS))
                .isInstanceOf(ShareFormatException.class).hasMessage("c.conf:2: driver: 'smoke' is unknown (known: ssh, vm)");
        assertThatThrownBy(() -> parse("* user=a secret=b\n").validate("smoke", DRIVERS))
                .hasMessage("c.conf:1: driver: 'smoke' (headnode.conf's power-driver) is unknown (known: ssh, vm)");
        assertThatThrownBy(() -> parse("# x\n10.0.0.1 user=a secret=b uri=x:y\n").validate("ssh", DRIVERS))
                .hasMessage("c.conf:2: uri: unknown option for driver ssh (known: cipher, port)");
        assertThatThrownBy(() -> parse("10.0.0.1 driver=ssh user=a secret=b cipher=des\n").validate("vm", DRIVERS))
                .hasMessage("c.conf:1: cipher: 'des' is not aes or chacha");
        assertThatThrownBy(() -> parse("10.0.0.1 driver=ssh user=a\n").validate("vm", DRIVERS))
                .hasMessage("c.conf:1: secret: missing (driver ssh needs a secret)");
        assertThatThrownBy(() -> parse("10.0.0.1 driver=ssh secret=a\n").validate("vm", DRIVERS))
                .hasMessage("c.conf:1: user: missing (driver ssh needs a user)");
        assertThatThrownBy(() -> parse("10.0.0.1 user=a secret=b\n52:54:00:aa:00:01 driver=vm uri=x:y\n").validate("ssh", DRIVERS))
                .hasMessage("c.conf:2: domain: missing (driver vm needs uri and domain)");
    }

    @Test
    void driverOptionsReadValuesAndDefaults() throws Exception {
        BmcCredentials c = parse("* user=a secret=b port=22\n").entries().get(0);
        assertThat(SSH.option("cipher").orElseThrow().get(c)).isEqualTo("aes");
        assertThat(SSH.option("port").orElseThrow().find(c)).contains("22");
        assertThat(VM.option("uri").orElseThrow().find(c)).isEmpty();
        assertThatThrownBy(() -> DriverOption.choice("cipher", "rc4", "aes")).hasMessageContaining("default 'rc4' is not aes");
        assertThatThrownBy(() -> DriverOption.of("secret", "x", v -> true)).hasMessageContaining("cannot be an option name");
        assertThatThrownBy(() -> new DriverOptions("ssh", false, false, List.of(SSH.options().get(0), SSH.options().get(0))))
                .hasMessageContaining("twice");
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
        assertThat(CredentialsFile.read(new ShareFileReader(dir), p)).contains(f);
        assertThat(CredentialsFile.read(new ShareFileReader(dir), dir.resolve("none.conf"))).isEmpty();
        assertThat(f.write(p)).isFalse();
    }

    @Test
    void refusesAFileOthersCanRead(@TempDir Path dir) throws Exception {
        Path p = dir.resolve(CredentialsFile.FILE_NAME);
        Files.writeString(p, "* user=a secret=b\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> CredentialsFile.read(new ShareFileReader(dir), p)).isInstanceOf(ShareFormatException.class)
                .hasMessageStartingWith("credentials.conf: mode: is rw-r--r--");
    }
}
