package io.headnode.orchestrator.lab;

import io.headnode.common.exec.CommandResult;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.BmcAddress;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.CredentialsFile;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.contract.MachineList;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.config.HostConfigFile;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.status.AgentStatusReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lab: a head node and its "bare-metal" nodes in one network namespace on this machine, driven through the
 * same {@code headnode} commands an admin uses. {@link #up} builds it and follows one install to the end,
 * {@link #status} reports, {@link #down} removes everything it made.
 */
public final class Lab {
    private final LabSettings settings;
    private final PrintWriter out;
    private final LabState state;
    private final LabNetwork network;
    private final LabLibvirtd libvirtd;
    private final LabDhcp dhcp;
    private final LabNodes nodes;
    private final long started = System.nanoTime();

    public Lab(LabSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
        this.state = LabState.load(settings.stateFile());
        this.network = new LabNetwork(settings);
        this.libvirtd = new LabLibvirtd(settings, state);
        this.dhcp = new LabDhcp(settings, state);
        this.nodes = new LabNodes(settings);
    }

    /** Options of {@link #up}. */
    public record UpOptions(boolean installDeps, Optional<Path> image, boolean install, Duration timeout) {
    }

    /** What {@link #up} saw, with the seconds (since the start of {@code up}) at which each step was reached. */
    public record UpResult(Path image, double imageReadyAt, double headnodeStartedAt, double agentReadyAt,
                           List<String> nodeStatesBeforeInstall, List<NodeProgress> nodes, List<Double> nodesDoneAt) {
        public boolean allInstalled() {
            return nodes.stream().allMatch(p -> p == NodeProgress.BOOTED_FROM_DISK);
        }
    }

    public UpResult up(UpOptions options) {
        requireRoot();
        if (options.installDeps()) {
            step("checking packages (bin/install-deps)");
            Exec.run(Duration.ofMinutes(20), List.of(settings.home().resolve("bin/install-deps").toString())).orThrow();
        }
        Path image = realPath(options.image().orElseGet(this::buildImage));
        double imageAt = elapsed();
        step("image " + image);
        mkdirs(settings.dir());
        network.up();
        step("namespace " + settings.namespace() + " with bridge " + LabSettings.PUBLIC_BRIDGE + " (" + LabSettings.HOST_ADDRESS + "/" + LabSettings.PREFIX + "), no uplink");
        libvirtd.start();
        step("libvirtd " + state.pid(LabLibvirtd.LIBVIRTD).orElse(0L) + " at " + settings.localUri() + " and " + settings.agentUri() + " (namespace only)");
        dhcp.start();
        writeOrchestratorConfig(image);
        HostConfig config = hostConfig();
        HeadnodePaths paths = new HeadnodePaths(config);
        HeadnodeCli cli = new HeadnodeCli(settings.orchestratorConfig());
        step("headnode create --vlan " + settings.vlan());
        String cmdline = read(image.resolve("cmdline")).strip();
        List<String> create = new ArrayList<>(List.of("create", "--vlan", settings.vlan().toString(), "--image", image.toString()));
        if (!cmdline.isEmpty()) {
            create.addAll(List.of("--cmdline", cmdline));
        }
        print(cli.check(create.toArray(String[]::new)));
        double headnodeAt = elapsed();
        prepareShare(cli);
        step("headnode machines push --vlan " + settings.vlan());
        print(cli.check("machines", "push", "--vlan", settings.vlan().toString(), settings.dir().resolve("machines.txt").toString()));
        nodes.define(paths.vlanBridge(settings.vlan()));
        for (int i = 1; i <= settings.nodes(); i++) {
            step("node " + settings.nodeName(i) + " " + settings.nodeMac(i) + " defined (network boot, then disk), console " + settings.nodeConsole(i));
        }
        long deadline = System.nanoTime() + options.timeout().toNanos();
        step("waiting for the head node's agent (console " + paths.consoleLog(settings.vlan()) + ")");
        double agentAt = waitForAgent(paths, deadline);
        step("agent ready");
        List<NodeProgress> progress = new ArrayList<>();
        List<Double> doneAt = new ArrayList<>();
        List<String> before = new ArrayList<>();
        for (int i = 1; i <= settings.nodes(); i++) {
            before.add(nodes.state(i));
        }
        if (options.install()) {
            step("headnode install --vlan " + settings.vlan() + " --all");
            print(cli.check("install", "--vlan", settings.vlan().toString(), "--all"));
            follow(progress, doneAt, deadline);
        }
        return new UpResult(image, imageAt, headnodeAt, agentAt, before, progress, doneAt);
    }

    private Path buildImage() {
        step("building the head-node image (cached by input hash)");
        CommandResult r = Exec.run(Duration.ofMinutes(30), List.of(settings.home().resolve("guest-image/image/build-image.sh").toString(),
                "--cache", settings.imageCache().toString())).orThrow();
        List<String> lines = r.stdout().lines().toList();
        if (lines.isEmpty()) {
            throw new LabException("build-image.sh printed no output directory");
        }
        return Path.of(lines.get(lines.size() - 1).strip());
    }

    private void writeOrchestratorConfig(Path image) {
        Path apparmor = settings.dir().resolve("apparmor");
        if (!Files.isDirectory(apparmor)) {
            mkdirs(apparmor);
            if (Files.isDirectory(Path.of("/etc/apparmor.d"))) {
                // a private copy: the lab validates its rule the real way without touching the host's AppArmor
                Exec.check("cp", "-a", "/etc/apparmor.d/.", apparmor.toString());
            }
            mkdirs(apparmor.resolve("abstractions"));
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
    }

    HostConfig hostConfig() {
        try {
            return HostConfigFile.load(settings.orchestratorConfig(), true);
        } catch (HostConfigFile.ConfigException e) {
            throw new LabException(e.getMessage(), e);
        }
    }

    /**
     * headnode.conf (libvirt power, the lab install profile), credentials.conf and machines.txt for the lab nodes,
     * written as files in the lab dir and installed into the share with {@code headnode config|credentials push}.
     */
    private void prepareShare(HeadnodeCli cli) {
        try {
            HeadnodeConfig d = HeadnodeConfig.defaults(settings.vlan());
            HeadnodeConfig conf = new HeadnodeConfig(settings.vlan(), d.privateAddress(), Optional.empty(), "libvirt", "lab",
                    Duration.ofMinutes(30), 3);
            write(settings.dir().resolve("headnode.conf"), new String(conf.render(), StandardCharsets.UTF_8));
            List<Machine> machines = new ArrayList<>();
            List<BmcCredentials> creds = new ArrayList<>();
            for (int i = 1; i <= settings.nodes(); i++) {
                MacAddress mac = MacAddress.parse(settings.nodeMac(i));
                machines.add(new Machine(mac, BmcAddress.parse(LabSettings.HOST_ADDRESS)));   // the BMC is the lab's libvirtd
                creds.add(new BmcCredentials(new BmcCredentials.MacKey(mac), Optional.of("libvirt"), Optional.empty(), Optional.empty(),
                        Map.of("uri", settings.agentUri(), "domain", settings.nodeName(i))));
            }
            AtomicFiles.writeIfChanged(settings.dir().resolve("machines.txt"), new MachineList(machines).render());
            new CredentialsFile(creds).write(settings.dir().resolve("credentials.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab's share files in " + settings.dir(), e);
        }
        step("headnode config push --vlan " + settings.vlan() + " (power-driver libvirt, install-profile lab)");
        print(cli.check("config", "push", "--vlan", settings.vlan().toString(), settings.dir().resolve("headnode.conf").toString()));
        step("headnode credentials push --vlan " + settings.vlan() + " (driver=libvirt uri=" + settings.agentUri() + ")");
        print(cli.check("credentials", "push", "--vlan", settings.vlan().toString(), settings.dir().resolve("credentials.conf").toString()));
    }

    /** Waits until the agent publishes its status on the virtio-serial channel; returns the seconds since up began. */
    private double waitForAgent(HeadnodePaths paths, long deadline) {
        Path socket = paths.statusSocket(settings.vlan());
        while (System.nanoTime() < deadline) {
            Optional<String> s = Files.exists(socket) ? AgentStatusReader.latest(socket, Duration.ofSeconds(2)) : Optional.empty();
            if (s.isPresent() && !s.get().isBlank()) {
                step("agent status: " + abbreviate(s.get(), 300));
                return elapsed();
            }
            LabDaemons.sleep(Duration.ofSeconds(1));
        }
        throw new LabException("the head node's agent did not report within the timeout; console: "
                + tailOf(LabNodes.console(paths.consoleLog(settings.vlan())), 1500));
    }

    private void follow(List<NodeProgress> progress, List<Double> doneAt, long deadline) {
        NodeProgress[] last = new NodeProgress[settings.nodes() + 1];
        Double[] done = new Double[settings.nodes() + 1];
        while (true) {
            boolean finished = true;
            for (int i = 1; i <= settings.nodes(); i++) {
                NodeProgress p = nodes.progress(i);
                if (p != last[i]) {
                    step("node " + settings.nodeName(i) + ": " + p.description());
                    last[i] = p;
                }
                if (p == NodeProgress.BOOTED_FROM_DISK || p == NodeProgress.FAILED) {
                    done[i] = done[i] == null ? elapsed() : done[i];
                } else {
                    finished = false;
                }
            }
            if (finished || System.nanoTime() > deadline) {
                break;
            }
            LabDaemons.sleep(Duration.ofMillis(500));
        }
        for (int i = 1; i <= settings.nodes(); i++) {
            progress.add(last[i]);
            doneAt.add(done[i]);
        }
        if (progress.stream().allMatch(p -> p == NodeProgress.BOOTED_FROM_DISK)) {
            step("all " + settings.nodes() + " node(s) installed and rebooted from their disks");
        } else {
            step("not every node finished: " + progress);
        }
    }

    /** One line per part of the lab; returns true when the lab runs (namespace, daemons). */
    public boolean status() {
        boolean ns = network.exists();
        out.printf("namespace  %s: %s%n", settings.namespace(), ns ? "present" : "absent");
        out.printf("libvirtd   %s%n", libvirtd.running() ? "running (pid " + state.pid(LabLibvirtd.LIBVIRTD).orElse(0L) + ")" : "not running");
        out.printf("udhcpd     %s%n", dhcp.running() ? "running (pid " + state.pid(LabDhcp.NAME).orElse(0L) + ")" : "not running");
        if (libvirtd.running() && Files.exists(settings.orchestratorConfig())) {
            HeadnodeCli.Result show = new HeadnodeCli(settings.orchestratorConfig()).run("show", "--vlan", settings.vlan().toString());
            out.print(show.exitCode() == 0 ? show.out() : "head node: " + show.err());
            for (int i = 1; i <= settings.nodes(); i++) {
                out.printf("node       %s %s: %s, %s%n", settings.nodeName(i), settings.nodeMac(i), nodes.state(i), nodes.progress(i).description());
            }
        }
        out.flush();
        return ns && libvirtd.running();
    }

    /** Removes everything the lab made: head node (with its share), nodes, daemons, namespace, files. */
    public void down() {
        requireRoot();
        if (libvirtd.running() && Files.exists(settings.orchestratorConfig())) {
            // nodes first: the orchestrator keeps a VLAN bridge that another domain still uses
            List<String> removed = nodes.remove();
            step("nodes removed: " + (removed.isEmpty() ? "none" : String.join(", ", removed)));
            HeadnodeCli.Result r = new HeadnodeCli(settings.orchestratorConfig()).run("delete", "--vlan", settings.vlan().toString(), "--purge");
            step("headnode delete --vlan " + settings.vlan() + " --purge: exit " + r.exitCode() + " " + (r.out() + r.err()).strip());
        }
        libvirtd.stop();
        dhcp.stop();
        for (long pid : network.pids()) {
            ProcessHandle.of(pid).ifPresent(p -> {
                step("stopping leftover process " + pid + " " + p.info().command().orElse("?") + " in " + settings.namespace());
                LabDaemons.stop(pid, "", Duration.ofSeconds(10));
            });
        }
        network.delete();
        step("namespace " + settings.namespace() + " deleted");
        if (Files.exists(settings.stateFile())) {
            Exec.check("rm", "-rf", "--one-file-system", settings.dir().toString());
            step("removed " + settings.dir());
        }
    }

    /** The result of one {@code headnode} command run against the lab's orchestrator config. */
    public record CliResult(int exitCode, String out, String err) {
    }

    /** Runs {@code headnode ARGS} (in this process) against the lab's orchestrator config. */
    public CliResult headnode(String... args) {
        HeadnodeCli.Result r = new HeadnodeCli(settings.orchestratorConfig()).run(args);
        return new CliResult(r.exitCode(), r.out(), r.err());
    }

    /** Destroys and undefines the lab's node domains; returns their names. */
    public List<String> removeNodes() {
        return nodes.remove();
    }

    /** libvirt's state of node {@code i} ("running", "shut off", "absent"). */
    public String nodeState(int i) {
        return nodes.state(i);
    }

    /** The PIDs of the daemons the lab started (virtlogd, libvirtd, udhcpd), from its state file. */
    public List<Long> daemonPids() {
        List<Long> pids = new ArrayList<>();
        for (String d : List.of(LabLibvirtd.VIRTLOGD, LabLibvirtd.LIBVIRTD, LabDhcp.NAME)) {
            state.pid(d).ifPresent(pids::add);
        }
        return pids;
    }

    public boolean namespaceExists() {
        return network.exists();
    }

    /** Network links inside the lab namespace. */
    public List<String> namespaceLinks() {
        return network.links();
    }

    /** PIDs of all processes inside the lab namespace (libvirtd, QEMU, ...). */
    public List<Long> namespacePids() {
        return network.pids();
    }

    private void step(String what) {
        out.printf("[%6.1fs] %s%n", elapsed(), what);
        out.flush();
    }

    private void print(String text) {
        text.lines().filter(l -> !l.isBlank()).forEach(l -> out.println("           " + l));
        out.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - started) / 1e9;
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

    private static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    static String tailOf(String s, int max) {
        return s.length() <= max ? s : s.substring(s.length() - max);
    }
}
