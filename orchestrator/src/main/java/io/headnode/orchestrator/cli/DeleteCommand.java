package io.headnode.orchestrator.cli;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.orchestrator.spec.SpecStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code headnode delete}: marks the head node absent and converges (the share stays unless --purge). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete the head node of a VLAN.")
public final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--vlan", required = true, converter = VlanOption.class)
    Vlan vlan;
    @Option(names = "--purge", description = "also delete the share (machines.txt, headnode.conf, ...)")
    boolean purge;
    @Option(names = "--dry-run")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        var cluster = root.cluster();
        if (cluster.isPresent()) {
            if (cluster.get().spec(vlan).isEmpty()) {
                cmd.commandLine().getOut().println("vlan " + vlan + ": no head node is declared in the fleet; nothing to delete");
            } else if (!dryRun) {
                cluster.get().removeSpec(vlan);
                cmd.commandLine().getOut().println("vlan " + vlan + ": deleted from the fleet; its host removes the head node");
            } else {
                cmd.commandLine().getOut().println("vlan " + vlan + ": would be deleted from the fleet");
            }
            cmd.commandLine().getOut().flush();
            return 0;
        }
        Optional<HeadnodeSpec> spec = root.get(SpecStore.class).read(vlan);
        if (spec.isEmpty()) {
            cmd.commandLine().getOut().println("vlan " + vlan + ": no head node is declared; nothing to delete");
            return 0;
        }
        VlanReport report = root.get(Reconciler.class).apply(spec.get().markedAbsent(purge || spec.get().purge()), dryRun);
        cmd.commandLine().getOut().print(report.describe());
        cmd.commandLine().getOut().flush();
        return report.failed() ? 1 : 0;
    }
}
