package io.headnode.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What both packages hold, read from the .deb files: the files and modes, conffiles, Depends, and the systemd units
 * checked by {@code systemd-analyze verify} (which runs here without systemd as PID 1).
 */
class PackageContentsIT {
    @TempDir
    Path tmp;

    @Test
    void theHostPackage() throws Exception {
        Path deb = Packages.deb("headnode");
        String files = Command.check("dpkg-deb", "-c", deb.toString()).stdout();
        assertThat(files).containsPattern("-rwxr-xr-x root/root .* \\./usr/bin/headnode\\n")
                .containsPattern("-rw-r--r-- root/root .* \\./usr/share/headnode/headnode\\.jar\\n")
                .contains("./etc/headnode/orchestrator.conf", "./lib/systemd/system/headnode-reconcile.service",
                        "./usr/share/bash-completion/completions/headnode", "./usr/share/man/man1/headnode-create.1.gz");
        assertThat(Packages.field(deb, "Depends")).contains("openjdk-17-jre-headless | java17-runtime-headless", "libvirt0", "qemu-utils",
                "iproute2");
        assertThat(Command.check("dpkg-deb", "-I", deb.toString(), "conffiles").stdout().strip()).isEqualTo("/etc/headnode/orchestrator.conf");

        Path root = extract(deb);
        String unit = Files.readString(root.resolve("lib/systemd/system/headnode-reconcile.service"));
        assertThat(unit).contains("Type=notify", "WatchdogSec=", "Restart=on-failure", "ExecStart=/usr/bin/headnode reconcile --every 60s",
                "PrivateTmp=yes");
        assertVerifies(root.resolve("lib/systemd/system/headnode-reconcile.service"), "/usr/bin/headnode");
        // the completion is sourced, not run; it completes the subcommands
        String completion = Files.readString(root.resolve("usr/share/bash-completion/completions/headnode"));
        assertThat(completion).doesNotStartWith("#!").contains("complete -F", "reconcile", "machines");
        // the conffile names every key HostConfigFile accepts
        String conf = Files.readString(root.resolve("etc/headnode/orchestrator.conf"));
        for (String key : io.headnode.orchestrator.config.HostConfigFile.KEYS) {
            assertThat(conf).as(key).containsPattern("(?m)^# " + key + " =");
        }
    }

    @Test
    void theAgentPackage() throws Exception {
        Path deb = Packages.deb("headnode-agent");
        String files = Command.check("dpkg-deb", "-c", deb.toString()).stdout();
        assertThat(files).containsPattern("-rwxr-xr-x root/root .* \\./usr/bin/headnode-agent\\n")
                .contains("./usr/share/headnode/headnode-agent.jar", "./lib/systemd/system/headnode-agent.service",
                        "./usr/lib/modules-load.d/headnode-9p.conf", "./etc/headnode/agent.conf");
        assertThat(Packages.field(deb, "Depends")).contains("openjdk-17-jre-headless", "isc-dhcp-server", "tftpd-hpa", "radvd", "nftables");
        Path root = extract(deb);
        String unit = Files.readString(root.resolve("lib/systemd/system/headnode-agent.service"));
        assertThat(unit).contains("ExecStart=/usr/bin/headnode-agent run");
        assertVerifies(root.resolve("lib/systemd/system/headnode-agent.service"), "/usr/bin/headnode-agent");
    }

    private Path extract(Path deb) {
        Path root = tmp.resolve(deb.getFileName().toString());
        Command.check("dpkg-deb", "-x", deb.toString(), root.toString());
        return root;
    }

    /**
     * systemd-analyze verify finds no problem in the unit but one: its ExecStart program is not on this build host
     * (the package is not installed here), which it reports as "not executable".
     */
    private static void assertVerifies(Path unit, String program) {
        CommandResult r = Command.run(Duration.ofSeconds(60), List.of("systemd-analyze", "verify", "--man=no", unit.toString()));
        List<String> problems = (r.stdout() + r.stderr()).lines()
                .filter(l -> !l.endsWith("Command " + program + " is not executable: No such file or directory")).toList();
        assertThat(problems).as(r.describe()).isEmpty();
    }
}
