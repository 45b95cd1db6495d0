package io.headnode.orchestrator.lab;

import io.headnode.contract.Vlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code headnode lab up|status|down}: a whole Headnode installation on this one machine, in a network namespace
 * with no uplink: a head node for VLAN 100 and one or two virtual "bare-metal" nodes it installs. See docs/lab.md.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "A head node and virtual bare-metal nodes on this machine, in a network namespace with no uplink.",
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class})
public final class LabCommand {
    @Option(names = "--dir", defaultValue = "/var/lib/headnode-lab", description = "the lab's files (default: ${DEFAULT-VALUE})")
    Path dir;
    @Option(names = "--namespace", defaultValue = "hnlab", description = "network namespace (default: ${DEFAULT-VALUE})")
    String namespace;
    @Option(names = "--vlan", defaultValue = "100", description = "the head node's VLAN (default: ${DEFAULT-VALUE})")
    int vlan;
    @Option(names = "--nodes", defaultValue = "1", description = "virtual bare-metal nodes, 1..4 (default: ${DEFAULT-VALUE})")
    int nodes;
    @Option(names = "--image-cache", defaultValue = "/var/cache/headnode/image", description = "image cache (default: ${DEFAULT-VALUE})")
    Path imageCache;
    @Spec
    CommandSpec spec;

    Lab lab() {
        LabSettings s = new LabSettings(dir, namespace, new Vlan(vlan), nodes, home(), imageCache);
        return new Lab(s, spec.commandLine().getOut());
    }

    /** The Headnode checkout: $HEADNODE_HOME, else the directory above the one holding this jar that has bin/install-deps. */
    static Path home() {
        String env = System.getenv("HEADNODE_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        try {
            Path p = Path.of(LabCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (; p != null; p = p.getParent()) {
                if (Files.isExecutable(p.resolve("bin/install-deps")) && Files.isDirectory(p.resolve("guest-image/image"))) {
                    return p;
                }
            }
        } catch (java.net.URISyntaxException | SecurityException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Install/check packages, build the image if needed, start the lab, install every node and follow it to its disk boot.")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        LabCommand parent;
        @Option(names = "--image", description = "use this image directory (headnode.qcow2, vmlinuz, initrd.img, cmdline) instead of building one")
        Path image;
        @Option(names = "--skip-deps", description = "do not run bin/install-deps")
        boolean skipDeps;
        @Option(names = "--no-install", description = "start everything but request no install")
        boolean noInstall;
        @Option(names = "--timeout", defaultValue = "900", description = "seconds to wait for the agent and the installs (default: ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Override
        public Integer call() {
            Lab.UpResult r = parent.lab().up(new Lab.UpOptions(!skipDeps, Optional.ofNullable(image).map(Path::toAbsolutePath),
                    !noInstall, Duration.ofSeconds(timeoutSeconds)));
            return noInstall || r.allInstalled() ? 0 : 1;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the lab: namespace, daemons, head node, nodes.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        LabCommand parent;

        @Override
        public Integer call() {
            return parent.lab().status() ? 0 : 1;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove everything the lab made (domains, daemons by PID, namespace, files).")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        LabCommand parent;

        @Override
        public Integer call() {
            parent.lab().down();
            return 0;
        }
    }
}
