package io.headnode.orchestrator.cli;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.MachineList;
import io.headnode.contract.ShareLayout;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.share.ShareDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** {@code headnode install}: asks the VLAN's agent to (re)install nodes, by an install request in the share. */
@Command(name = "install", mixinStandardHelpOptions = true, description = "Request a PXE install of listed nodes (by MAC) or --all.")
public final class InstallCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--vlan", required = true, converter = VlanOption.class)
    Vlan vlan;

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
        ShareLayout share = root.get(ShareDirectory.class).layout(vlan);
        if (!Files.exists(share.machines())) {
            throw new UsageException("VLAN " + vlan + " has no machines.txt (" + share.machines() + "): push one first");
        }
        MachineList listed = MachineList.parse(share.machines().toString(), Files.readAllBytes(share.machines()));
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
        String id = STAMP.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
        InstallRequest request = new InstallRequest(id, target.all, macs);
        Path file = share.requests().resolve(request.fileName());
        AtomicFiles.write(file, request.render(), null);
        cmd.commandLine().getOut().println("install request " + id + " written to " + file);
        return 0;
    }
}
