package io.headnode.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.headnode.common.kv.KvException;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.Vlan;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.StepResult;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.status.AgentStatuses;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import io.headnode.orchestrator.spec.SpecStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code headnode list}: every declared head node with its libvirt state, its drift (how many actions a reconcile
 * pass would apply: a dry-run plan) and how many of its nodes are installing (from the agent's status channel, all
 * VLANs read at once).
 *
 * <p>Clusters: once head nodes can live on more than one libvirt host, each row gains the host it runs on: a
 * {@code host} key in the JSON rows and a HOST column after VLAN in {@link #table} (not printed before then).
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List head nodes: state, drift, nodes installing.")
public final class ListCommand implements Callable<Integer> {
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--output", description = "text or json", defaultValue = "text")
    OutputFormat output;
    @Option(names = "--status-timeout", defaultValue = "2s", converter = IntervalOption.class,
            description = "how long to wait for the agents' status lines, all VLANs at once (default 2s)")
    Duration statusTimeout;

    @Override
    public Integer call() throws Exception {
        SpecStore store = root.get(SpecStore.class);
        Hypervisor h = root.get(Hypervisor.class);
        HeadnodePaths paths = root.get(HeadnodePaths.class);
        Reconciler reconciler = root.get(Reconciler.class);
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<Vlan, Path> sockets = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (Vlan v : store.vlans()) {
            try {
                Optional<HeadnodeSpec> s = store.read(v);
                if (s.isPresent()) {
                    Map<String, Object> row = HeadnodeView.of(s.get(), h.lookup(HeadnodePaths.domainName(v)), paths.vlanBridge(v));
                    putDrift(row, reconciler.reconcile(v, true));
                    rows.add(row);
                    sockets.put(v, paths.statusSocket(v));
                }
            } catch (KvException e) {
                bad.add(e.getMessage());
            }
        }
        Map<Vlan, Optional<AgentStatus>> statuses = AgentStatuses.read(sockets, statusTimeout, Instant.now());
        for (Map<String, Object> row : rows) {
            putNodes(row, statuses.getOrDefault(new Vlan((Integer) row.get("vlan")), Optional.empty()));
        }
        List<String> unmanaged = unmanaged(h.domainNames(), store.vlans());
        PrintWriter out = cmd.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            out.print(table(rows));
        }
        bad.forEach(b -> cmd.commandLine().getErr().println("headnode: bad spec: " + b));
        unmanaged.forEach(d -> cmd.commandLine().getErr().println("headnode: warning: domain " + d
                + " has a head node's name but no spec: not managed by headnode (reconcile leaves it alone)"));
        cmd.commandLine().getErr().flush();
        out.flush();
        return bad.isEmpty() ? 0 : 1;
    }

    /** The text form: VLAN, STATE, DRIFT, INSTALLING, DOMAIN (a HOST column after VLAN once clusters exist). */
    static String table(List<Map<String, Object>> rows) {
        TextTable t = TextTable.of("VLAN", "STATE", "DRIFT", "INSTALLING", "DOMAIN");
        for (Map<String, Object> r : rows) {
            String state = r.get("state") + ("absent".equals(r.get("desired")) ? " (delete pending)" : "");
            Object actions = r.get("driftActions");
            String drift = actions == null ? "unknown: " + r.get("driftError")
                    : (Integer) actions == 0 ? "none" : actions + ((Integer) actions == 1 ? " action" : " actions");
            String installing = r.get("nodesListed") == null ? "-" : r.get("nodesInstalling") + " of " + r.get("nodesListed");
            t.row(r.get("vlan"), state, drift, installing, r.get("domain"));
        }
        return t.render("");
    }

    /** driftActions: what a reconcile pass would apply (null when the plan failed; driftError says where). */
    static void putDrift(Map<String, Object> row, VlanReport plan) {
        Optional<StepResult> failed = plan.steps().stream().filter(s -> s.outcome() == io.headnode.orchestrator.reconcile.Outcome.FAILED).findFirst();
        row.put("driftActions", failed.isPresent() ? null : plan.actions().size());
        row.put("driftError", failed.map(s -> s.step() + ": " + s.message()).orElse(null));
    }

    /** nodesListed and nodesInstalling from the agent's status (null when no status arrived). */
    static void putNodes(Map<String, Object> row, Optional<AgentStatus> status) {
        row.put("nodesListed", status.map(a -> a.machines().size() + a.omittedMachines()).orElse(null));
        row.put("nodesInstalling", status.map(a -> (int) a.machines().stream().filter(m -> m.state() == MachineState.INSTALLING).count()).orElse(null));
    }

    /** Domains named like a head node (headnode-vlanN) whose VLAN has no spec: left over, or made by hand. */
    static List<String> unmanaged(List<String> domains, List<Vlan> declared) {
        java.util.Set<String> ours = new java.util.HashSet<>();
        declared.forEach(v -> ours.add(HeadnodePaths.domainName(v)));
        return domains.stream().filter(d -> d.matches("headnode-vlan[0-9]+") && !ours.contains(d)).sorted().toList();
    }
}
