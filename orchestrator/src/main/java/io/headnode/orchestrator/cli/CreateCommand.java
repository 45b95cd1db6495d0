package io.headnode.orchestrator.cli;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.render.DomainRenderer;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code headnode create}: declares the head node of a VLAN and converges it. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create (or update) the head node of a VLAN.")
public final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--vlan", required = true, converter = VlanOption.class, description = "VLAN id, 1..4094")
    Vlan vlan;
    @Option(names = "--trunk", description = "uplink carrying the VLAN tagged (a <trunk>.N vlan link is made); none: bridge only")
    String trunk;
    @Option(names = "--public-bridge", description = "bridge for eth1 (default: the config's public-bridge)")
    String publicBridge;
    @Option(names = "--memory", description = "MiB (default: the config's default-memory-mib)")
    Integer memory;
    @Option(names = "--vcpus")
    Integer vcpus;
    @Option(names = "--image", description = "guest image (qcow2 or raw), or a directory holding headnode.qcow2 [vmlinuz initrd.img cmdline]")
    Path image;
    @Option(names = "--kernel", description = "boot this kernel directly (default: DIR/vmlinuz when --image is a directory holding one)")
    Path kernel;
    @Option(names = "--initrd")
    Path initrd;
    @Option(names = "--cmdline", description = "kernel command line (default: " + HeadnodeSpec.DEFAULT_CMDLINE + ")")
    String cmdline;
    @Option(names = "--dry-run", description = "print the plan and the domain XML; change nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        HostConfig config = root.hostConfig();
        var cluster = root.cluster();
        if (cluster.isPresent()) {
            // cluster mode: declare it in the fleet; the leader places it and the placed host's service builds it
            Optional<HeadnodeSpec> existing = cluster.get().spec(vlan).map(b -> {
                try {
                    return io.headnode.orchestrator.spec.SpecCodec.parse("zookeeper:" + io.headnode.orchestrator.cluster.ClusterStore.specPath(vlan), b);
                } catch (io.headnode.common.kv.KvException e) {
                    throw new UsageException(e.getMessage());
                }
            });
            HeadnodeSpec spec = build(config, existing);
            if (dryRun) {
                cmd.commandLine().getOut().print(new String(io.headnode.orchestrator.spec.SpecCodec.render(spec), java.nio.charset.StandardCharsets.UTF_8));
            } else {
                boolean written = cluster.get().putSpec(vlan, io.headnode.orchestrator.spec.SpecCodec.render(spec));
                cluster.get().ensureInstallKey(vlan, new java.security.SecureRandom());   // once per VLAN (issue 11)
                cmd.commandLine().getOut().println("vlan " + vlan + ": declared in the fleet" + (written ? "" : " (unchanged)")
                        + "; headnode show --vlan " + vlan + " names its host once placed");
            }
            cmd.commandLine().getOut().flush();
            return 0;
        }
        Optional<HeadnodeSpec> existing = root.get(SpecStore.class).read(vlan);
        HeadnodeSpec spec = build(config, existing);
        Reconciler reconciler = root.get(Reconciler.class);
        VlanReport report = reconciler.apply(spec, dryRun);
        cmd.commandLine().getOut().print(report.describe());
        if (dryRun) {
            cmd.commandLine().getOut().println("--- domain XML ---");
            cmd.commandLine().getOut().print(root.get(DomainRenderer.class).render(spec));
        }
        cmd.commandLine().getOut().flush();
        return report.failed() ? 1 : 0;
    }

    /** The first line of an image directory's cmdline file (the guest image build writes one), if any. */
    private static Optional<String> readCmdline(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                    : Optional.empty();
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    HeadnodeSpec build(HostConfig config, Optional<HeadnodeSpec> existing) {
        Path img = image != null ? image.toAbsolutePath().normalize()
                : existing.map(HeadnodeSpec::image).orElse(config.defaultImage());
        Optional<Path> k = Optional.ofNullable(kernel).map(p -> p.toAbsolutePath().normalize());
        Optional<Path> i = Optional.ofNullable(initrd).map(p -> p.toAbsolutePath().normalize());
        Optional<String> dirCmdline = Optional.empty();
        if (Files.isDirectory(img)) {
            Path dir = img;
            img = dir.resolve("headnode.qcow2");
            dirCmdline = readCmdline(dir.resolve("cmdline"));
            if (k.isEmpty() && Files.isRegularFile(dir.resolve("vmlinuz"))) {
                k = Optional.of(dir.resolve("vmlinuz"));
                if (i.isEmpty() && Files.isRegularFile(dir.resolve("initrd.img"))) {
                    i = Optional.of(dir.resolve("initrd.img"));
                }
            }
        } else if (image == null && existing.isPresent() && k.isEmpty()) {
            k = existing.get().kernel();
            i = i.isPresent() ? i : existing.get().initrd();
        }
        Optional<String> fromDir = k.isPresent() ? dirCmdline : Optional.empty();
        Optional<String> cl = Optional.ofNullable(cmdline).or(() -> fromDir)
                .or(() -> image == null ? existing.flatMap(HeadnodeSpec::cmdline) : Optional.empty());
        for (Optional<Path> f : java.util.List.of(Optional.of(img), k, i)) {
            if (f.isPresent() && !Files.isRegularFile(f.get())) {
                throw new UsageException((f.get().equals(img) ? "image " : "") + f.get() + " does not exist");
            }
        }
        try {
            return new HeadnodeSpec(vlan, true, false,
                    Optional.ofNullable(trunk).or(() -> existing.flatMap(HeadnodeSpec::trunk)),
                    publicBridge != null ? publicBridge : existing.map(HeadnodeSpec::publicBridge).orElse(config.publicBridge()),
                    memory != null ? memory : existing.map(HeadnodeSpec::memoryMib).orElse(config.defaultMemoryMib()),
                    vcpus != null ? vcpus : existing.map(HeadnodeSpec::vcpus).orElse(config.defaultVcpus()),
                    img, k, i, cl,
                    existing.map(HeadnodeSpec::uuid).orElse(HeadnodeSpec.uuidFor(vlan)),
                    existing.map(HeadnodeSpec::vlanMac).orElse(HeadnodeSpec.vlanMacFor(vlan)),
                    existing.map(HeadnodeSpec::publicMac).orElse(HeadnodeSpec.publicMacFor(vlan)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
