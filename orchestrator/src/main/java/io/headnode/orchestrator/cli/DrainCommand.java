package io.headnode.orchestrator.cli;

import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.HostId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code headnode drain --host H}: the leader moves H's head nodes to other hosts, one at a time (cluster mode). */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Move a host's head nodes to other hosts, one at a time, for maintenance (cluster mode).")
public final class DrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec cmd;
    @ParentCommand
    HeadnodeCommand root;
    @Option(names = "--host", required = true, paramLabel = "HOST")
    String host;
    @Option(names = "--undo", description = "the host takes head nodes again")
    boolean undo;

    @Override
    public Integer call() throws Exception {
        HostId id;
        try {
            id = new HostId(host);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--host: " + e.getMessage());
        }
        ClusterStore store = root.cluster()
                .orElseThrow(() -> new UsageException("drain needs cluster mode (cluster = in the config, or --cluster)"));
        store.drain(id, !undo);
        cmd.commandLine().getOut().println(undo ? "host " + id + " takes head nodes again"
                : "host " + id + " is draining: its head nodes move one at a time; headnode hosts list shows progress");
        cmd.commandLine().getOut().flush();
        return 0;
    }
}
