package io.headnode.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/install-deps leaves the host as it found it: its temporary policy-rc.d forbids starting only the daemons the
 * tests run themselves (asked as invoke-rc.d and deb-systemd-invoke ask), allows the host's own (libvirtd, dbus, ...),
 * and is removed even when apt-get fails; an admin's policy-rc.d is kept; on a systemd host only the units of
 * those daemons that this run brought in are disabled. Run against fakes in a private mount namespace
 * (install-deps-harness.sh), so this host's /usr/sbin, /run and units are never touched.
 */
class InstallDepsPolicyTest {
    private static final Path HOME = Path.of(System.getProperty("headnode.home", "../..")).toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void ownDaemonsAreForbiddenOthersAllowedAndThePolicyIsRemoved() throws Exception {
        List<String> out = run("MISSING=radvd lintian");
        assertThat(out).contains("exit=0", "policy-after=absent", "apt-get install -y -qq --no-install-recommends radvd lintian");
        assertThat(out).contains("policy isc-dhcp-server=101", "policy isc-dhcp-server6=101", "policy tftpd-hpa=101",
                "policy radvd.service=101", "policy nginx.service=101", "policy nftables=101", "policy openipmi=101",
                "policy zookeeper.service=101", "policy prometheus=101");
        assertThat(out).contains("policy libvirtd=0", "policy libvirtd.service=0", "policy virtlogd=0", "policy dbus.service=0",
                "policy apparmor=0");
        assertThat(out).noneMatch(l -> l.startsWith("systemctl"));
    }

    @Test
    void aFailedInstallStillRemovesThePolicy() throws Exception {
        List<String> out = run("MISSING=radvd", "APT_FAIL=1");
        assertThat(out).contains("exit=100", "policy-after=absent", "policy radvd.service=101");
    }

    @Test
    void anAdminsPolicyIsKeptAndDecidesAlone() throws Exception {
        List<String> out = run("MISSING=radvd", "ADMIN_POLICY=1");
        assertThat(out).contains("exit=0", "policy-after=admin", "policy libvirtd=101", "policy radvd.service=101");
    }

    @Test
    void nothingMissingInstallsNothingAndWritesNoPolicy() throws Exception {
        List<String> out = run("MISSING=");
        assertThat(out).contains("exit=0", "policy-after=absent");
        assertThat(out).noneMatch(l -> l.startsWith("apt-get") || l.startsWith("policy "));
    }

    @Test
    void onASystemdHostOnlyUnitsThisRunBroughtInAreDisabled() throws Exception {
        List<String> out = run("MISSING=radvd isc-dhcp-server", "SYSTEMD=1", "UNITS_BEFORE=nginx tftpd-hpa",
                "UNITS_NEW=radvd isc-dhcp-server nginx libvirtd");
        assertThat(out).contains("exit=0", "policy-after=absent");
        assertThat(out.stream().filter(l -> l.startsWith("systemctl")).toList())
                .containsExactlyInAnyOrder("systemctl disable --quiet radvd.service", "systemctl disable --quiet isc-dhcp-server.service");
    }

    @Test
    void withoutSystemdNoUnitIsTouched() throws Exception {
        List<String> out = run("MISSING=radvd", "UNITS_NEW=radvd");
        assertThat(out).contains("exit=0").noneMatch(l -> l.startsWith("systemctl"));
    }

    private List<String> run(String... scenario) throws URISyntaxException {
        Path harness = Path.of(InstallDepsPolicyTest.class.getResource("install-deps-harness.sh").toURI());
        List<String> argv = new ArrayList<>(List.of("env"));
        argv.addAll(List.of(scenario));
        argv.addAll(List.of("bash", harness.toString(), HOME.resolve("bin/install-deps").toString(), work.toString()));
        CommandResult r = Command.run(Duration.ofSeconds(60), argv);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        return r.stdout().lines().toList();
    }
}
