package io.headnode.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host package as an admin meets it: {@code apt-get install ./headnode_*.deb} into a fresh Debian 12 root,
 * {@code headnode --help} and {@code --version} there, then {@code apt-get purge headnode} leaves nothing of the
 * package behind: no file it listed, no /etc/headnode, no state dir, no AppArmor share rule block (left there as the
 * orchestrator writes it), while what is not the package's stays; a head node's spec still there keeps the state dir.
 */
class HostPackageIT {
    private static final Duration APT = Duration.ofMinutes(5);

    @Test
    void installsRunsAndPurgesWithoutLeftovers() throws Exception {
        Path deb = Packages.deb("headnode");
        String debVersion = Packages.field(deb, "Version");
        List<String> depends = Packages.firstAlternatives(Packages.field(deb, "Depends"));
        Path dir = Path.of("/var/tmp/hnpkg-" + ProcessHandle.current().pid());
        try (DebianRoot root = DebianRoot.fresh(dir, depends)) {
            Files.copy(deb, root.path("/tmp/" + deb.getFileName()));
            CommandResult install = root.chroot(APT, "apt-get", "install", "-y", "-q", "--no-install-recommends", "/tmp/" + deb.getFileName());
            assertThat(install.exitCode()).as(install.describe()).isZero();
            assertThat(install.stdout()).contains("Setting up headnode (" + debVersion + ")");

            List<String> owned = root.chroot(Duration.ofSeconds(30), "dpkg", "-L", "headnode").orThrow().stdout().lines()
                    .filter(l -> l.startsWith("/") && !l.equals("/.")).toList();
            assertThat(owned).contains("/usr/bin/headnode", "/usr/share/headnode/headnode.jar", "/etc/headnode/orchestrator.conf",
                    "/lib/systemd/system/headnode-reconcile.service", "/usr/share/bash-completion/completions/headnode",
                    "/usr/share/man/man1/headnode.1.gz", "/usr/share/man/man1/headnode-reconcile.1.gz",
                    "/usr/share/doc/headnode/copyright", "/usr/share/doc/headnode/changelog.gz", "/var/lib/headnode");
            assertThat(root.chroot(Duration.ofSeconds(30), "dpkg-query", "-W", "-f=${Conffiles}", "headnode").orThrow().stdout())
                    .contains("/etc/headnode/orchestrator.conf");
            // a fresh install does not enable the service (it needs this host's orchestrator.conf first)
            assertThat(root.path("/etc/systemd/system/multi-user.target.wants/headnode-reconcile.service")).doesNotExist();

            CommandResult help = root.chroot(Duration.ofMinutes(1), "headnode", "--help");
            assertThat(help.exitCode()).as(help.describe()).isZero();
            assertThat(help.stdout()).contains("Usage: headnode", "reconcile", "create");
            CommandResult version = root.chroot(Duration.ofMinutes(1), "headnode", "--version");
            assertThat(version.exitCode()).as(version.describe()).isZero();
            assertThat(version.stdout().strip()).isEqualTo("headnode " + debVersion.replace("~SNAPSHOT", "-SNAPSHOT"));

            // what the orchestrator leaves at run time, and what is not the package's
            Files.createDirectories(root.path("/var/lib/headnode/run"));
            Files.writeString(root.path("/var/lib/headnode/run/vlan7.status"), "");
            Files.createDirectories(root.path("/var/lib/headnode/console"));
            Files.writeString(root.path("/var/lib/headnode/console/headnode-vlan7.log"), "boot\n");
            Files.createDirectories(root.path("/var/lib/headnode-config"));
            Files.writeString(root.path("/etc/headnode/admin-notes"), "mine\n");
            Path local = root.path("/etc/apparmor.d/local/abstractions/libvirt-qemu");
            Files.createDirectories(local.getParent());
            Files.writeString(local, "# the admin's line\n/srv/iso/** r,\n# BEGIN headnode share rule (managed by headnode; do not edit)\n"
                    + "/var/lib/headnode-config/** r,\n# END headnode share rule\n");

            CommandResult purge = root.chroot(APT, "apt-get", "purge", "-y", "-q", "headnode");
            assertThat(purge.exitCode()).as(purge.describe()).isZero();
            assertThat(root.chroot(Duration.ofSeconds(30), "dpkg-query", "-W", "-f=${Status}", "headnode").stdout()).doesNotContain("installed");
            List<String> shared = List.of("/etc", "/lib", "/lib/systemd", "/lib/systemd/system", "/usr", "/usr/bin", "/usr/share",
                    "/usr/share/bash-completion", "/usr/share/bash-completion/completions", "/usr/share/doc", "/usr/share/man",
                    "/usr/share/man/man1", "/usr/share/lintian", "/usr/share/lintian/overrides", "/var", "/var/lib");
            assertThat(owned.stream().filter(p -> !shared.contains(p)).filter(p -> Files.exists(root.path(p))).toList()).isEmpty();
            assertThat(root.path("/etc/headnode")).doesNotExist();
            assertThat(root.path("/var/lib/headnode")).doesNotExist();
            assertThat(root.path("/var/lib/headnode-config")).doesNotExist();
            assertThat(Files.readString(local)).isEqualTo("# the admin's line\n/srv/iso/** r,\n");
            assertThat(root.path("/usr/bin/java")).exists();

            // again, with a head node left: its spec and disk stay (and the state dir with them), the rest goes
            assertThat(root.chroot(APT, "apt-get", "install", "-y", "-q", "--no-install-recommends", "/tmp/" + deb.getFileName()).exitCode())
                    .isZero();
            Files.createDirectories(root.path("/var/lib/headnode/specs"));
            Files.writeString(root.path("/var/lib/headnode/specs/vlan7.spec"), "vlan = 7\n");
            Files.createDirectories(root.path("/var/lib/headnode/locks"));
            CommandResult kept = root.chroot(APT, "apt-get", "purge", "-y", "-q", "headnode");
            assertThat(kept.exitCode()).as(kept.describe()).isZero();
            assertThat(kept.stdout() + kept.stderr()).contains("headnode: kept /var/lib/headnode");
            assertThat(root.path("/var/lib/headnode/specs/vlan7.spec")).exists();
            assertThat(root.path("/var/lib/headnode/locks")).doesNotExist();
            assertThat(root.path("/var/lib/headnode/images")).doesNotExist();
            assertThat(root.path("/etc/headnode")).doesNotExist();
        }
        assertThat(dir).doesNotExist();
    }
}
