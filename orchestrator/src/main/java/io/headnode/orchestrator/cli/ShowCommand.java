package io.headnode.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.MachineList;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.Vlan;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.StepResult;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.share.ShareDirectory;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import io.headnode.orchestrator.status.AgentStatusReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code headnode show}: spec, libvirt state, drift (a dry-run plan), share and the agent's latest status line. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one head node.")
public final class ShowCommand implements Callable<Integer> {
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--vlan", required = true, converter = VlanOption.class)
    Vlan vlan;
    @Option(names = "--output", defaultValue = "text", description = "text or json")
    OutputFormat output;
    @Option(names = "--status-timeout", defaultValue = "2s", converter = IntervalOption.class,
            description = "how long to listen on the agent's status channel (default 2s)")
    Duration statusTimeout;

    @Override
    public Integer call() throws Exception {
        Optional<HeadnodeSpec> spec = root.get(SpecStore.class).read(vlan);
        var cluster = root.cluster();
        if (cluster.isPresent()) {
            // cluster mode: name the host the leader placed it on; the details below only where it runs
            var placement = cluster.get().placement(vlan);
            boolean declared = cluster.get().spec(vlan).isPresent();
            cmd.commandLine().getOut().println("vlan " + vlan + ": " + (!declared ? "not declared in the fleet"
                    : placement.map(p -> "runs on host " + p.host() + " (placement epoch " + p.epoch() + ")").orElse("declared, not placed yet")));
            if (spec.isEmpty()) {
                cmd.commandLine().getOut().flush();
                return declared ? 0 : 1;
            }
        }
        if (spec.isEmpty()) {
            throw new NoSuchFileException(root.get(SpecStore.class).file(vlan).toString(), null, "no head node is declared for VLAN " + vlan);
        }
        HeadnodePaths paths = root.get(HeadnodePaths.class);
        Map<String, Object> view = HeadnodeView.of(spec.get(), root.get(Hypervisor.class).lookup(HeadnodePaths.domainName(vlan)),
                paths.vlanBridge(vlan));
        VlanReport plan = root.get(Reconciler.class).reconcile(vlan, true);
        List<String> drift = new ArrayList<>();
        for (StepResult s : plan.steps()) {
            if (s.changed() || s.outcome() == io.headnode.orchestrator.reconcile.Outcome.FAILED) {
                s.details().forEach(d -> drift.add(s.step() + ": " + d));
            }
        }
        view.put("drift", drift);
        ShareDirectory share = root.get(ShareDirectory.class);
        view.put("share", share.layout(vlan).root().toString());
        try {
            var machines = share.layout(vlan).machines();
            view.put("machines", Files.exists(machines) ? MachineList.parse(machines.toString(), Files.readAllBytes(machines)).machines().size() : 0);
        } catch (ShareFormatException e) {
            view.put("machines", "bad: " + e.getMessage());
        }
        Optional<AgentStatus> status = AgentStatusReader.read(paths.statusSocket(vlan), statusTimeout);
        view.put("agent", status.map(AgentStatus::toJsonTree).orElse(null));
        view.put("consoleLog", paths.consoleLog(vlan).toString());
        PrintWriter out = cmd.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(view));
        } else {
            for (Map.Entry<String, Object> e : view.entrySet()) {
                if (e.getKey().equals("drift") || e.getKey().equals("agent")) {
                    continue;
                }
                out.printf("%-13s %s%n", e.getKey() + ":", e.getValue() == null ? "-" : e.getValue());
            }
            out.printf("%-13s %s%n", "drift:", drift.isEmpty() ? "none" : "");
            drift.forEach(d -> out.println("  " + d));
            status.ifPresentOrElse(a -> AgentStatusText.print(out, a, Instant.now()), () -> out.println("agent: no status"));
            status.ifPresent(a -> SshAccessView.print(out, vlan, a.ssh()));
        }
        out.flush();
        return 0;
    }
}
