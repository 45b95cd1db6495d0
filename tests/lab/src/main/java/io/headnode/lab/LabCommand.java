package io.headnode.lab;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.cli.ProgressLine;
import io.headnode.orchestrator.cli.StrictExecution;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code headnode lab up|status|down} (bin/headnode runs this jar for {@code lab}): a whole Headnode installation on
 * this one machine, in a network namespace with no uplink: a head node for VLAN 100 and one to four virtual
 * "bare-metal" nodes it installs. See docs/lab.md. Exit codes: 0 ok, 1 failed, 2 bad usage.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "A head node and virtual bare-metal nodes on this machine, in a network namespace with no uplink.",
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class})
public final class LabCommand implements Runnable {
    @Option(names = "--dir", defaultValue = "/var/lib/headnode-lab", scope = ScopeType.INHERIT,
            description = "the lab's files (default: ${DEFAULT-VALUE})")
    Path dir;
    @Option(names = "--namespace", defaultValue = "hnlab", scope = ScopeType.INHERIT, description = "network namespace (default: ${DEFAULT-VALUE})")
    String namespace;
    @Option(names = "--vlan", defaultValue = "100", scope = ScopeType.INHERIT, description = "the head node's VLAN (default: ${DEFAULT-VALUE})")
    int vlan;
    @Option(names = "--nodes", defaultValue = "1", scope = ScopeType.INHERIT,
            description = "virtual bare-metal nodes, 1.." + LabSettings.MAX_NODES + " (default: ${DEFAULT-VALUE})")
    int nodes;
    @Option(names = "--firmware", defaultValue = "bios", scope = ScopeType.INHERIT,
            description = "the nodes' firmware: bios, uefi, secureboot, httpboot (UEFI HTTP boot, Secure Boot on) or mixed (BIOS, UEFI, Secure Boot, HTTP boot in turn) (default: ${DEFAULT-VALUE})")
    String firmware;
    @Option(names = "--image-cache", defaultValue = "/var/cache/headnode/image", scope = ScopeType.INHERIT,
            description = "image cache (default: ${DEFAULT-VALUE})")
    Path imageCache;
    @Option(names = "--build-image", scope = ScopeType.INHERIT,
            description = "the image build script (guest-image/image/build-image.sh); bin/headnode passes it")
    Path buildImage;
    @Option(names = "--build-node-image", scope = ScopeType.INHERIT,
            description = "the node image build script (guest-image/image/build-node-image.sh) for --profile image; bin/headnode passes it")
    Path buildNodeImage;
    @Option(names = "--install-deps", scope = ScopeType.INHERIT,
            description = "the package installer (bin/install-deps) run before up; bin/headnode passes it")
    Path installDeps;
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(ProgressLine.stdout(), new PrintWriter(System.err, true), args));
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new LabCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> 1);
        cl.setExecutionStrategy(new StrictExecution());
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("headnode lab: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("headnode lab: error: " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: up, status or down");
    }

    Lab lab() {
        return new Lab(new LabSettings(dir, namespace, new Vlan(vlan), nodes, imageCache, LabFirmware.of(firmware)), spec.commandLine().getOut());
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Install/check packages, build the image if needed, start the lab, install every node and follow it to its disk boot.")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        LabCommand parent;
        @Option(names = "--image", description = "use this image directory (headnode.qcow2, vmlinuz, initrd.img, cmdline) instead of building one")
        Path image;
        @Option(names = "--skip-deps", description = "do not run the package installer")
        boolean skipDeps;
        @Option(names = "--no-install", description = "start everything but request no install")
        boolean noInstall;
        @Option(names = "--profile", defaultValue = "lab",
                description = "lab: the stub installer that writes a marker; image: deploy the Debian 12 node image (build-node-image.sh, "
                        + "headnode images add, install --image) and wait for each node to be active (default: ${DEFAULT-VALUE})")
        String profile;
        @Option(names = "--timeout", defaultValue = "900", description = "seconds to wait for the agent and the installs (default: ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Override
        public Integer call() {
            Optional<Path> nodeImage = switch (profile) {
                case "lab" -> Optional.empty();
                case "image" -> Optional.of(Optional.ofNullable(parent.buildNodeImage).map(Path::toAbsolutePath).orElseThrow(
                        () -> new IllegalArgumentException("--profile image needs --build-node-image SCRIPT (bin/headnode passes it)")));
                default -> throw new IllegalArgumentException("--profile must be lab or image, not " + profile);
            };
            Lab.UpOptions options = new Lab.UpOptions(
                    skipDeps ? Optional.empty() : Optional.ofNullable(parent.installDeps).map(Path::toAbsolutePath),
                    Optional.ofNullable(image).map(Path::toAbsolutePath),
                    Optional.ofNullable(parent.buildImage).map(Path::toAbsolutePath),
                    !noInstall, Duration.ofSeconds(timeoutSeconds), nodeImage);
            Lab.UpResult r = parent.lab().up(options);
            return noInstall || r.allInstalled() ? 0 : 1;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the lab: namespace, daemons, BMCs, head node, nodes.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        LabCommand parent;

        @Override
        public Integer call() {
            return parent.lab().status() ? 0 : 1;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Remove everything the lab made (head node, domains, BMCs and daemons by PID, namespace, files).")
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
