package io.headnode.orchestrator.cli;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.HostRecord;
import io.headnode.orchestrator.cluster.Placement;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code headnode hosts list}: the fleet's hosts (cluster mode), their state, head nodes and free memory. */
@Command(name = "hosts", mixinStandardHelpOptions = true, description = "The fleet's hosts (cluster mode).",
        subcommands = HostsCommand.ListHosts.class)
public final class HostsCommand implements Callable<Integer> {
    @Spec
    CommandSpec cmd;
    @ParentCommand
    HeadnodeCommand root;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "missing subcommand: list");
    }

    /** The rows of the table: one per live host, and one per host that still holds placements but is gone. */
    static List<List<String>> rows(Map<HostId, HostRecord> live, Map<Vlan, Placement> placements, Set<HostId> draining) {
        Map<HostId, List<Integer>> vlans = new TreeMap<>();
        placements.forEach((v, p) -> vlans.computeIfAbsent(p.host(), h -> new ArrayList<>()).add(v.id()));
        Set<HostId> all = new TreeSet<>(live.keySet());
        all.addAll(vlans.keySet());
        List<List<String>> rows = new ArrayList<>();
        for (HostId h : all) {
            HostRecord r = live.get(h);
            String state = r == null ? "lost" : draining.contains(h) ? "draining" : "up";
            List<Integer> v = vlans.getOrDefault(h, List.of());
            rows.add(List.of(h.name(), state, v.size() + (r == null ? "" : "/" + r.capacity().headnodeLimit()),
                    r == null ? "-" : r.capacity().freeMemoryMib() + " MiB", summarize(v)));
        }
        return rows;
    }

    private static String summarize(List<Integer> vlans) {
        if (vlans.isEmpty()) {
            return "-";
        }
        List<String> shown = vlans.stream().limit(8).map(String::valueOf).toList();
        return String.join(",", shown) + (vlans.size() > 8 ? ",... (" + vlans.size() + ")" : "");
    }

    /** Lists the hosts. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the fleet's hosts: state, head nodes, free memory.")
    public static final class ListHosts implements Callable<Integer> {
        @ParentCommand
        HostsCommand parent;

        @Override
        public Integer call() throws Exception {
            ClusterStore store = parent.root.cluster()
                    .orElseThrow(() -> new UsageException("hosts list needs cluster mode (cluster = in the config, or --cluster)"));
            Set<HostId> draining = new TreeSet<>();
            for (String name : store.client().getChildren().forPath(ClusterStore.DRAIN)) {
                draining.add(new HostId(name));
            }
            List<List<String>> rows = rows(store.hosts(), store.placements(), draining);
            PrintWriter out = parent.cmd.commandLine().getOut();
            List<String> unplaced = new ArrayList<>();
            Map<Vlan, Placement> placements = store.placements();
            for (Vlan v : store.specVlans()) {
                if (!placements.containsKey(v)) {
                    unplaced.add(Integer.toString(v.id()));
                }
            }
            TextTable t = TextTable.of("HOST", "STATE", "HEAD NODES", "FREE MEMORY", "VLANS");
            rows.forEach(r -> t.row(r.toArray()));
            t.print(out, "");
            if (!unplaced.isEmpty()) {
                out.println("not placed (no host can take them): " + String.join(",", unplaced));
            }
            out.flush();
            return 0;
        }
    }
}
