package io.headnode.lab;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandSpec;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.orchestrator.cli.TextTable;
import io.headnode.orchestrator.config.HostConfigFile;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import io.headnode.contract.AgentStatus;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The lab: a head node and its "bare-metal" nodes in one network namespace on this machine, on the tests' own
 * sandbox fixtures, driven through the same {@code headnode} commands an admin uses. {@link #up} builds it and
 * follows one install to the end, {@link #status} reports, {@link #down} (from any later process) removes
 * everything it made, by the PIDs in its state file.
 */
public final class Lab {
    private final LabSettings settings;
    private final LabLog log;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final LabParts parts;

    private static final String BUILD_PREFIX = "build-image: ";

    public Lab(LabSettings settings, PrintWriter out) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.log = new LabLog(out);
        this.parts = LabParts.of(settings, runner);
    }

    /**
     * Options of {@link #up}: the image is either given ({@code image}) or built with {@code buildImage}
     * (guest-image/image/build-image.sh); {@code installDeps} (bin/install-deps) runs first when given.
     */
    /**
     * @param nodeImage the node image build script: with it the `image` profile (the nodes get the Debian node image
     *                  through the head node's catalog and are done once their OS reported: `active`)
     */
    public record UpOptions(Optional<Path> installDeps, Optional<Path> image, Optional<Path> buildImage, boolean install, Duration timeout,
                            Optional<Path> nodeImage) {
        /** The `lab` profile. */
        public UpOptions(Optional<Path> installDeps, Optional<Path> image, Optional<Path> buildImage, boolean install, Duration timeout) {
            this(installDeps, image, buildImage, install, timeout, Optional.empty());
        }

        public UpOptions {
            Objects.requireNonNull(nodeImage, "nodeImage is null");
            Objects.requireNonNull(installDeps, "installDeps is null");
            Objects.requireNonNull(image, "image is null");
            Objects.requireNonNull(buildImage, "buildImage is null");
            Objects.requireNonNull(timeout, "timeout is null");
            if (image.isEmpty() && buildImage.isEmpty()) {
                throw new IllegalArgumentException("no image: give --image DIR, or --build-image SCRIPT (bin/headnode passes it)");
            }
        }
    }

    /** What {@link #up} saw, with the seconds (since the start of {@code up}) at which each step was reached. */
    public record UpResult(Path image, double imageReadyAt, double headnodeStartedAt, double agentReadyAt,
                           List<RunState> nodeStatesBeforeInstall, List<NodeProgress> nodes, List<Double> nodesDoneAt, boolean allActive) {
        /** Every node booted its disk, and with the `image` profile every node is also {@code active} in the agent's status. */
        public boolean allInstalled() {
            return allActive && nodes.stream().allMatch(p -> p == NodeProgress.BOOTED_FROM_DISK);
        }
    }

    public UpResult up(UpOptions options) {
        requireRoot();
        options.installDeps().ifPresent(script -> {
            log.step("checking packages (" + script + ")");
            runner.run(List.of(script.toString()), Duration.ofMinutes(20)).orThrow();
        });
        Path image = realPath(options.image().orElseGet(() -> buildImage(options.buildImage().orElseThrow())));
        double imageAt = log.elapsed();
        log.step("image " + image);
        mkdirs(settings.dir());
        NetworkNamespace ns = NetworkNamespace.named(settings.namespace());
        LabParts.publicBridge(ns); // the VLAN bridge is the orchestrator's own
        log.step("namespace " + ns.name() + " with bridge " + LabSettings.PUBLIC_BRIDGE + " (" + LabSettings.HOST_ADDRESS + "/"
                + LabSettings.PREFIX + "), no uplink");
        Libvirtd libvirtd = parts.libvirt().start(ns);
        log.step("libvirtd " + libvirtd.pid() + " at " + libvirtd.uri() + " (unix socket only, no network listener)");
        parts.dhcp().start(ns);
        parts.files().writeOrchestratorConfig(image);
        HeadnodePaths paths = new HeadnodePaths(loadHostConfig());
        HeadnodeCli cli = new HeadnodeCli(settings.orchestratorConfig());
        log.step("headnode create --vlan " + settings.vlan());
        String cmdline = read(image.resolve("cmdline")).strip();
        List<String> create = new ArrayList<>(List.of("create", "--vlan", settings.vlan().toString(), "--image", image.toString()));
        if (!cmdline.isEmpty()) {
            create.addAll(List.of("--cmdline", cmdline));
        }
        log.print(cli.check(create.toArray(String[]::new)));
        double headnodeAt = log.elapsed();
        parts.files().writeShareFiles(parts.bmcs().password());
        log.step("headnode config push --vlan " + settings.vlan() + " (power-driver " + LabFiles.POWER_DRIVER + ", install-profile "
                + LabFiles.INSTALL_PROFILE + ")");
        log.print(cli.check("config", "push", "--vlan", settings.vlan().toString(), parts.files().headnodeConf().toString()));
        log.step("headnode credentials push --vlan " + settings.vlan() + " (driver=" + LabFiles.POWER_DRIVER + " user=" + LabBmcs.USER + ")");
        log.print(cli.check("credentials", "push", "--vlan", settings.vlan().toString(), parts.files().credentials().toString()));
        log.step("headnode machines push --vlan " + settings.vlan());
        log.print(cli.check("machines", "push", "--vlan", settings.vlan().toString(), parts.files().machines().toString()));
        try (Hypervisor h = parts.libvirt().connect()) {
            parts.nodes().define(h, paths.vlanBridge(settings.vlan()));
        }
        for (int i = 1; i <= settings.nodes(); i++) {
            log.step("node " + settings.nodeName(i) + " " + settings.nodeMac(i) + " defined (" + settings.nodeFirmware(i).word() + ", network boot, then disk), console " + settings.nodeConsole(i));
            parts.bmcs().start(ns, i);
            log.step("BMC of " + settings.nodeName(i) + " at " + settings.bmcAddress(i) + " (IPMI, pid " + parts.bmcs().pid(i).orElse(0L) + ")");
        }
        long deadline = System.nanoTime() + options.timeout().toNanos();
        log.step("waiting for the head node's agent (console " + paths.consoleLog(settings.vlan()) + ")");
        LabWatch watch = new LabWatch(settings, parts.nodes(), log);
        double agentAt = watch.agent(paths, deadline);
        log.step("agent ready");
        List<RunState> before = new ArrayList<>();
        try (Hypervisor h = parts.libvirt().connect()) {
            for (int i = 1; i <= settings.nodes(); i++) {
                before.add(parts.nodes().state(h, i).orElseThrow(() -> new LabException("a lab node vanished before the install")));
            }
        }
        LabWatch.Outcome outcome = new LabWatch.Outcome(List.of(), List.of());
        boolean active = true;
        if (options.install() && options.nodeImage().isPresent()) {
            Path nodeImage = buildNodeImage(options.nodeImage().get()).resolve(NODE_IMAGE_FILE);
            addNodeImage(cli, nodeImage);
            for (int i = 1; i <= settings.nodes(); i++) {
                runner.check(List.of("qemu-img", "resize", "-q", settings.nodeDisk(i).toString(), IMAGE_DISK_SIZE));
            }
            log.step("node disks grown to " + IMAGE_DISK_SIZE + "; headnode install --vlan " + settings.vlan() + " --image " + NODE_IMAGE + " --all");
            log.print(cli.check("install", "--vlan", settings.vlan().toString(), "--image", NODE_IMAGE, "--all"));
            outcome = watch.nodes(deadline);
            List<Optional<AgentStatus.MachineState>> states = watch.active(paths, deadline);
            active = states.stream().allMatch(st -> st.equals(Optional.of(AgentStatus.MachineState.ACTIVE)));
            log.step(active ? "all " + settings.nodes() + " node(s) active: their OS reported" : "not every node is active: " + states);
        } else if (options.install()) {
            log.step("headnode install --vlan " + settings.vlan() + " --all");
            log.print(cli.check("install", "--vlan", settings.vlan().toString(), "--all"));
            outcome = watch.nodes(deadline);
        }
        return new UpResult(image, imageAt, headnodeAt, agentAt, before, outcome.progress(), outcome.doneAt(), active);
    }

    /** {@code headnode images add}; an image of that name already in the catalog (a second {@code up}) is kept when its sha256 is the same. */
    private void addNodeImage(HeadnodeCli cli, Path nodeImage) {
        HeadnodeCli.Result list = cli.run("images", "list");
        // build-node-image.sh's manifest has the image's sha256 ("sha256.debian-12-node.raw=...")
        String key = "sha256." + NODE_IMAGE_FILE + "=";
        String sha = read(nodeImage.resolveSibling("manifest")).lines().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length()).strip())
                .findFirst().orElse("no sha256 in the manifest");
        if (list.exitCode() == 0 && list.out().lines().anyMatch(l -> l.startsWith(NODE_IMAGE + " ") && l.contains(sha))) {
            log.step("image " + NODE_IMAGE + " already in the catalog (same sha256)");
            return;
        }
        if (list.exitCode() == 0 && list.out().lines().anyMatch(l -> l.startsWith(NODE_IMAGE + " "))) {
            log.step("headnode images rm " + NODE_IMAGE + " (another build)");
            log.print(cli.check("images", "rm", "--force", NODE_IMAGE));
        }
        log.step("headnode images add " + nodeImage + " --name " + NODE_IMAGE);
        log.print(cli.check("images", "add", nodeImage.toString(), "--name", NODE_IMAGE));
    }

    /** The node image's name in the lab's catalog, its file in build-node-image.sh's output, the nodes' disk size for it. */
    public static final String NODE_IMAGE = "debian-12";
    static final String NODE_IMAGE_FILE = "debian-12-node.raw";
    static final String IMAGE_DISK_SIZE = "2G";

    private Path buildNodeImage(Path script) {
        log.step("building the node image (cached by input hash)");
        CommandResult r = runner.run(CommandSpec.of(List.of(script.toString()), Duration.ofMinutes(30)), line -> {
            if (line.startsWith("build-node-image: ")) {
                log.print(line.substring("build-node-image: ".length()));
            }
        }).orThrow();
        List<String> lines = r.stdout().lines().toList();
        if (lines.isEmpty()) {
            throw new LabException(script + " printed no output directory");
        }
        return Path.of(lines.get(lines.size() - 1).strip());
    }

    private Path buildImage(Path script) {
        log.step("building the head-node image (cached by input hash)");
        // the script reports its stages on stderr ("build-image: [12s] debootstrap ..."): shown as they happen
        CommandResult r = runner.run(CommandSpec.of(List.of(script.toString(), "--cache", settings.imageCache().toString()), Duration.ofMinutes(30)),
                line -> {
                    if (line.startsWith(BUILD_PREFIX)) {
                        log.print(line.substring(BUILD_PREFIX.length()));
                    }
                }).orThrow();
        List<String> lines = r.stdout().lines().toList();
        if (lines.isEmpty()) {
            throw new LabException(script + " printed no output directory");
        }
        return Path.of(lines.get(lines.size() - 1).strip());
    }

    /** One line per part of the lab; returns true when the lab runs (namespace, libvirtd). */
    public boolean status() {
        Optional<NetworkNamespace> ns = NetworkNamespace.existing(settings.namespace());
        log.line("namespace  %s: %s", settings.namespace(), ns.isPresent() ? "present" : "absent");
        Optional<Libvirtd> libvirtd = ns.flatMap(parts.libvirt()::running);
        log.line("libvirtd   %s", libvirtd.map(l -> "running (pid " + l.pid() + ", virtlogd " + l.virtlogdPid() + ") at " + l.uri())
                .orElse("not running"));
        log.line("udhcpd     %s", parts.dhcp().running().map(d -> "running (pid " + d.pid() + ")").orElse("not running"));
        for (int i = 1; i <= LabSettings.MAX_NODES; i++) {
            Optional<Long> bmc = parts.bmcs().pid(i);
            if (bmc.isPresent()) {
                log.line("bmc        %s at %s: running (pid %d)", settings.nodeName(i), settings.bmcAddress(i), bmc.get());
            }
        }
        if (libvirtd.isPresent() && Files.exists(settings.orchestratorConfig())) {
            HeadnodeCli.Result show = new HeadnodeCli(settings.orchestratorConfig()).run("show", "--vlan", settings.vlan().toString());
            log.line("head node  (headnode show --vlan %s)", settings.vlan());
            log.print(show.exitCode() == 0 ? show.out() : "head node: " + show.err());
            TextTable table = TextTable.of("NODE", "MAC", "DOMAIN", "PROGRESS (serial console)");
            try (Hypervisor h = parts.libvirt().connect()) {
                for (int i = 1; i <= LabSettings.MAX_NODES; i++) {
                    Optional<RunState> s = parts.nodes().state(h, i);
                    if (s.isPresent()) {
                        table.row(settings.nodeName(i), settings.nodeMac(i), s.get().name().toLowerCase(Locale.ROOT), parts.nodes().progress(i).description());
                    }
                }
            }
            log.line("%s", table.render("").stripTrailing());
        }
        return ns.isPresent() && libvirtd.isPresent();
    }

    /** Removes everything the lab made: head node (with its share), nodes, BMCs, daemons, namespace, files. */
    public void down() {
        requireRoot();
        Optional<NetworkNamespace> ns = NetworkNamespace.existing(settings.namespace());
        Optional<Libvirtd> libvirtd = ns.flatMap(parts.libvirt()::running);
        parts.bmcs().stop();
        if (libvirtd.isPresent() && Files.exists(settings.orchestratorConfig())) {
            // nodes first: the orchestrator keeps a VLAN bridge that another domain still uses
            try (Hypervisor h = parts.libvirt().connect()) {
                List<String> removed = parts.nodes().remove(h);
                log.step("nodes removed: " + (removed.isEmpty() ? "none" : String.join(", ", removed)));
            }
            HeadnodeCli.Result r = new HeadnodeCli(settings.orchestratorConfig()).run("delete", "--vlan", settings.vlan().toString(), "--purge");
            log.step("headnode delete --vlan " + settings.vlan() + " --purge: exit " + r.exitCode() + " " + (r.out() + r.err()).strip());
        }
        libvirtd.ifPresentOrElse(Libvirtd::close, parts.libvirt()::stop);
        parts.dhcp().stop();
        ns.ifPresent(n -> {
            for (long pid : n.pids()) {
                log.step("killing leftover process " + pid + " " + ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("?")
                        + " in " + n.name());
            }
            n.close();
            log.step("namespace " + n.name() + " deleted");
        });
        if (Files.exists(settings.stateFile())) {
            runner.check(List.of("rm", "-rf", "--one-file-system", settings.dir().toString()));
            log.step("removed " + settings.dir());
        }
    }

    private io.headnode.orchestrator.config.HostConfig loadHostConfig() {
        try {
            return HostConfigFile.load(settings.orchestratorConfig(), true);
        } catch (HostConfigFile.ConfigException e) {
            throw new LabException(e.getMessage(), e);
        }
    }

    private static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new LabException("headnode lab must run as root (namespaces, bridges, libvirtd)");
        }
    }

    /** The image directory itself, never a symlink such as the cache's "latest": overlays keep their backing file. */
    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new LabException("image directory " + p + " does not exist");
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p, e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
