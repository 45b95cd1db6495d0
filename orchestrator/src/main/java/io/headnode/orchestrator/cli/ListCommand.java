package io.headnode.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.headnode.common.kv.KvException;
import io.headnode.contract.Vlan;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import java.io.PrintWriter;
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

/** {@code headnode list}: every declared head node with its libvirt state. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List head nodes.")
public final class ListCommand implements Callable<Integer> {
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--output", description = "text or json", defaultValue = "text")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        SpecStore store = root.get(SpecStore.class);
        Hypervisor h = root.get(Hypervisor.class);
        HeadnodePaths paths = root.get(HeadnodePaths.class);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (Vlan v : store.vlans()) {
            try {
                Optional<HeadnodeSpec> s = store.read(v);
                if (s.isPresent()) {
                    rows.add(HeadnodeView.of(s.get(), h.lookup(HeadnodePaths.domainName(v)), paths.vlanBridge(v)));
                }
            } catch (KvException e) {
                bad.add(e.getMessage());
            }
        }
        List<String> unmanaged = unmanaged(h.domainNames(), store.vlans());
        PrintWriter out = cmd.commandLine().getOut();
        if (output == OutputFormat.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            out.printf("%-6s %-20s %-8s %-10s %-9s %-12s %-10s%n", "VLAN", "DOMAIN", "DESIRED", "STATE", "AUTOSTART", "BRIDGE", "MEMORY");
            for (Map<String, Object> r : rows) {
                out.printf("%-6s %-20s %-8s %-10s %-9s %-12s %-10s%n", r.get("vlan"), r.get("domain"), r.get("desired"), r.get("state"),
                        (Boolean) r.get("autostart") ? "yes" : "no", r.get("vlanBridge"), r.get("memoryMib") + " MiB");
            }
        }
        bad.forEach(b -> cmd.commandLine().getErr().println("headnode: bad spec: " + b));
        unmanaged.forEach(d -> cmd.commandLine().getErr().println("headnode: warning: domain " + d
                + " has a head node's name but no spec: not managed by headnode (reconcile leaves it alone)"));
        cmd.commandLine().getErr().flush();
        out.flush();
        return bad.isEmpty() ? 0 : 1;
    }

    /** Domains named like a head node (headnode-vlanN) whose VLAN has no spec: left over, or made by hand. */
    static List<String> unmanaged(List<String> domains, List<Vlan> declared) {
        java.util.Set<String> ours = new java.util.HashSet<>();
        declared.forEach(v -> ours.add(HeadnodePaths.domainName(v)));
        return domains.stream().filter(d -> d.matches("headnode-vlan[0-9]+") && !ours.contains(d)).sorted().toList();
    }
}
