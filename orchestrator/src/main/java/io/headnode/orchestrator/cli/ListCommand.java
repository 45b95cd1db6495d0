package io.headnode.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.headnode.common.kv.KvException;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.Vlan;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.HostRecord;
import io.headnode.orchestrator.cluster.Placement;
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
 * <p>Cluster mode ({@code cluster =} or {@code --cluster}): the fleet's VLANs from ZooKeeper instead, from any host
 * or a machine with only the CLI and the cluster config: each with its placed host, the placement's epoch and a
 * state ({@link #fleetRows}); nothing local is read.
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
        Optional<ClusterStore> cluster = root.cluster();
        if (cluster.isPresent()) {
            return fleet(cluster.get());
        }
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

    /** The text form (one host): VLAN, STATE, DRIFT, INSTALLING, DOMAIN. */
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

    private int fleet(ClusterStore zk) throws Exception {
        List<Map<String, Object>> rows = fleetRows(zk.specVlans(), zk.placements(), zk.hosts());
        PrintWriter out = cmd.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            TextTable t = TextTable.of("VLAN", "HOST", "STATE", "EPOCH");
            rows.forEach(r -> t.row(r.get("vlan"), r.get("host") == null ? "-" : r.get("host"), r.get("state"),
                    r.get("epoch") == null ? "-" : r.get("epoch")));
            out.print(t.render(""));
        }
        out.flush();
        return 0;
    }

    /**
     * One row per VLAN with a spec or a placement in ZooKeeper: {@code vlan}, {@code host} and {@code epoch} (null
     * when not placed) and {@code state}: {@code running} (the placed host reports the head node running for this
     * epoch), {@code starting} (placed on a live host that does not report it yet: being built, or moving),
     * {@code host lost} (its host's session is gone: it moves after the grace), {@code not placed} (no host can take
     * it), {@code deleting} (the spec is gone, the placement not yet).
     */
    static List<Map<String, Object>> fleetRows(List<Vlan> specs, Map<Vlan, Placement> placements, Map<HostId, HostRecord> hosts) {
        java.util.SortedSet<Vlan> all = new java.util.TreeSet<>(specs);
        all.addAll(placements.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Vlan v : all) {
            Placement p = placements.get(v);
            HostRecord h = p == null ? null : hosts.get(p.host());
            String state = p == null ? "not placed"
                    : !specs.contains(v) ? "deleting"
                    : h == null ? "host lost"
                    : h.runs(v, p) ? "running" : "starting";
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("vlan", v.id());
            row.put("host", p == null ? null : p.host().name());
            row.put("epoch", p == null ? null : p.epoch());
            row.put("state", state);
            rows.add(row);
        }
        return rows;
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
