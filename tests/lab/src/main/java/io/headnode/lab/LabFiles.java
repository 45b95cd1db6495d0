package io.headnode.lab;

import io.headnode.common.exec.CommandRunner;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.CredentialsFile;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.contract.MachineList;
import io.headnode.contract.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The files the lab hands to {@code headnode}: the orchestrator's config (state, shares and an AppArmor copy under
 * the lab dir, the lab libvirtd's socket, bridges in the lab namespace) and the head node's share files
 * (headnode.conf with the IPMI power driver and the lab install profile, credentials.conf for the nodes' BMCs,
 * machines.txt), built with the contract's own types.
 */
final class LabFiles {
    static final String POWER_DRIVER = "ipmi";
    static final String INSTALL_PROFILE = "lab";
    private final LabSettings settings;
    private final CommandRunner runner;

    LabFiles(LabSettings settings, CommandRunner runner) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
    }

    Path headnodeConf() {
        return settings.dir().resolve("headnode.conf");
    }

    Path credentials() {
        return settings.dir().resolve("credentials.conf");
    }

    Path machines() {
        return settings.dir().resolve("machines.txt");
    }

    void writeOrchestratorConfig(Path image) {
        Path apparmor = settings.dir().resolve("apparmor");
        try {
            if (!Files.isDirectory(apparmor)) {
                Files.createDirectories(apparmor);
                if (Files.isDirectory(Path.of("/etc/apparmor.d"))) {
                    // a private copy: the lab validates its rule the real way without touching the host's AppArmor
                    runner.check(List.of("cp", "-a", "/etc/apparmor.d/.", apparmor.toString()));
                }
                Files.createDirectories(apparmor.resolve("abstractions"));
            }
            Path abstraction = apparmor.resolve("abstractions/libvirt-qemu");
            if (!Files.exists(abstraction)) {
                write(abstraction, "  # lab stand-in for libvirt's abstraction\n  include if exists <local/abstractions/libvirt-qemu>\n");
            }
            write(settings.orchestratorConfig(), String.join("\n",
                    "# headnode lab: the orchestrator's config for this lab (written by headnode lab up)",
                    "state-dir = " + settings.dir().resolve("state"),
                    "share-root = " + settings.shareRoot(),
                    "apparmor-dir = " + apparmor,
                    "connect = " + settings.localUri(),
                    "bridge-prefix = br-vlan",
                    "public-bridge = " + LabSettings.PUBLIC_BRIDGE,
                    "network-command-prefix = ip netns exec " + settings.namespace(),
                    "domain-type = qemu",
                    "default-image = " + image.resolve("headnode.qcow2"),
                    "default-memory-mib = 1024",
                    "default-vcpus = 1",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the orchestrator's config in " + settings.dir(), e);
        }
    }

    /** headnode.conf, credentials.conf (0600: the BMC password) and machines.txt ({@code <mac> 192.0.2.1:623N}). */
    void writeShareFiles(Secret bmcPassword) {
        try {
            HeadnodeConfig d = HeadnodeConfig.defaults(settings.vlan());
            HeadnodeConfig conf = new HeadnodeConfig(settings.vlan(), d.privateAddress(), Optional.empty(), POWER_DRIVER, INSTALL_PROFILE,
                    Duration.ofMinutes(30), 3);
            AtomicFiles.writeIfChanged(headnodeConf(), conf.render());
            List<Machine> machines = new ArrayList<>();
            List<BmcCredentials> creds = new ArrayList<>();
            for (int i = 1; i <= settings.nodes(); i++) {
                MacAddress mac = MacAddress.parse(settings.nodeMac(i));
                machines.add(new Machine(mac, settings.bmcAddress(i)));
                creds.add(new BmcCredentials(new BmcCredentials.MacKey(mac), Optional.of(POWER_DRIVER), Optional.of(LabBmcs.USER),
                        Optional.of(bmcPassword), Map.of()));
            }
            AtomicFiles.writeIfChanged(machines(), new MachineList(machines).render());
            new CredentialsFile(creds).write(credentials());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab's share files in " + settings.dir(), e);
        }
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        AtomicFiles.writeIfChanged(p, text.getBytes(StandardCharsets.UTF_8));
    }
}
