package io.headnode.orchestrator.cli;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageName;
import io.headnode.contract.TargetDisk;
import io.headnode.orchestrator.images.ImageStore;
import java.util.Optional;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.MachineList;
import io.headnode.contract.ShareLayout;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.share.ShareDirectory;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.status.AgentStatusReader;
import io.headnode.orchestrator.status.AgentStatuses;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code headnode install}: asks the VLAN's agent to (re)install nodes, by an install request in the share; with
 * {@code --wait}, follows them on the status channel until each is installed or failed ({@link InstallWait}).
 */
@Command(name = "install", mixinStandardHelpOptions = true, description = "Request a PXE install of listed nodes (by MAC) or --all.")
public final class InstallCommand implements Callable<Integer> {
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--vlan", required = true, converter = VlanOption.class)
    Vlan vlan;

    @Option(names = "--wait", description = "wait until every requested node is installed or failed, printing progress")
    boolean await;
    @Option(names = "--timeout", converter = IntervalOption.class, paramLabel = "INTERVAL",
            description = "with --wait: give up after INTERVAL (e.g. 30m; default 1h); exit 1")
    Duration timeout;

    @Option(names = "--image", paramLabel = "NAME", description = "deploy this image of the catalog (headnode images list) with the image profile")
    String image;
    @Option(names = "--target-disk", paramLabel = "DEVICE", description = "with --image: the disk to write (a /dev path; default: the node's first disk)")
    String targetDisk;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--all", required = true, description = "every node in machines.txt")
        boolean all;
        @Parameters(paramLabel = "MAC", arity = "1..*", description = "nodes to install (must be in machines.txt)")
        List<String> macs;
    }

    @Override
    public Integer call() throws Exception {
        if (timeout != null && !await) {
            throw new UsageException("--timeout needs --wait");
        }
        ShareLayout share = root.get(ShareDirectory.class).layout(vlan);
        var cluster = root.cluster();
        MachineList listed;
        if (cluster.isPresent()) {
            // cluster mode: machines.txt and the request live in the fleet's store; the placed host writes them into its share
            String machinesName = share.root().relativize(share.machines()).toString();
            byte[] machines = cluster.get().shareFiles(vlan).get(machinesName);
            if (machines == null) {
                throw new UsageException("VLAN " + vlan + " has no machines.txt in the fleet: push one first (headnode machines push)");
            }
            listed = MachineList.parse("zookeeper:" + io.headnode.orchestrator.cluster.ClusterStore.sharePath(vlan, machinesName), machines);
        } else {
            if (!Files.exists(share.machines())) {
                throw new UsageException("VLAN " + vlan + " has no machines.txt (" + share.machines() + "): push one first");
            }
            listed = MachineList.parse(share.machines().toString(), Files.readAllBytes(share.machines()));
        }
        List<MacAddress> macs = new ArrayList<>();
        if (!target.all) {
            for (String m : target.macs) {
                MacAddress mac;
                try {
                    mac = MacAddress.parse(m);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                if (listed.find(mac).isEmpty()) {
                    throw new UsageException("MAC " + mac + " is not in " + share.machines());
                }
                macs.add(mac);
            }
        }
        Instant requestedAt = Instant.now();
        String id = STAMP.format(requestedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Optional<ImageName> imageName = Optional.ofNullable(image).map(ImagesCommand::name);
        Optional<TargetDisk> disk;
        try {
            disk = Optional.ofNullable(targetDisk).map(TargetDisk::parse);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (disk.isPresent() && imageName.isEmpty()) {
            throw new UsageException("--target-disk needs --image");
        }
        if (imageName.isPresent()) {
            ImageCatalog catalog = root.get(ImageStore.class).catalog();
            if (catalog.read(imageName.get()).isEmpty()) {
                throw new UsageException("no image " + imageName.get() + " in " + catalog.root() + " (headnode images list)");
            }
        }
        InstallRequest request = new InstallRequest(id, target.all, macs, imageName, disk);
        Path file = share.requests().resolve(request.fileName());
        PrintWriter out = cmd.commandLine().getOut();
        if (cluster.isPresent()) {
            String name = share.root().relativize(file).toString();
            cluster.get().putShareFile(vlan, name, request.render());
            out.println("install request " + id + " written to zookeeper " + io.headnode.orchestrator.cluster.ClusterStore.sharePath(vlan, name));
        } else {
            AtomicFiles.write(file, request.render(), null);
            out.println("install request " + id + " written to " + file);
        }
        out.flush();
        if (!await) {
            return 0;
        }
        List<MacAddress> waitFor = target.all ? listed.machines().stream().map(io.headnode.contract.Machine::mac).toList() : macs;
        return await(waitFor, requestedAt, out) ? 0 : 1;
    }

    /** Follows the request on the status channel; true when every node was installed. */
    private boolean await(List<MacAddress> macs, Instant requestedAt, PrintWriter out) throws Exception {
        Path socket = root.get(HeadnodePaths.class).statusSocket(vlan);
        Duration limit = timeout == null ? DEFAULT_TIMEOUT : timeout;
        out.println("waiting up to " + IntervalOption.format(limit) + " for " + macs.size() + " node(s) (status channel " + socket + ")");
        InstallWait wait = new InstallWait(t -> AgentStatusReader.readFresh(socket, t, Instant.now(), AgentStatuses.MAX_AGE),
                Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), ProgressLine.on(out));
        InstallWait.Result r = wait.await(macs, requestedAt, limit);
        r.nodes().forEach((mac, m) -> out.println("  " + mac + "  " + m.map(x -> x.state().word()).orElse("not listed by the agent")));
        out.println(r.allInstalled() ? "all " + macs.size() + " node(s) installed"
                : r.timedOut() ? "timed out after " + IntervalOption.format(limit) : "not every node was installed");
        out.flush();
        return r.allInstalled();
    }
}
