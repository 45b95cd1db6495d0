package io.headnode.agent.apply;

import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.tftp.TftpTree;
import io.headnode.contract.AgentStatus.Health;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The tftpboot tree (pxelinux.0, modules, memdisk, pxelinux.cfg/default): copied where the content differs. */
public final class TftpStep implements ApplyStep {
    private final TftpTree tree;
    private volatile boolean complete;

    public TftpStep(TftpTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree is null");
    }

    @Override
    public String name() {
        return "tftpboot";
    }

    @Override
    public boolean gates() {
        return false;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        TftpTree.Result r;
        try {
            r = tree.build();
        } catch (IOException e) {
            return new StepResult.Failed("cannot build the tftpboot tree: " + e);
        }
        if (!r.complete()) {
            return new StepResult.Failed("incomplete: " + String.join("; ", r.problems()));
        }
        complete = true;
        return r.updated() == 0 ? StepResult.UNCHANGED : StepResult.of(List.of(r.updated() + " files updated"));
    }

    @Override
    public Map<String, Health> health() {
        return Map.of("tftpboot", complete ? Health.ok("complete") : Health.pending("not built yet"));
    }
}
