package io.headnode.agent.apply;

import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.tftp.TftpTree;
import io.headnode.contract.AgentStatus.Health;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tftpboot tree (BIOS: pxelinux.0, modules, memdisk, pxelinux.cfg/default; UEFI: shim, GRUB, grub/grub.cfg): copied
 * where the content differs. Missing BIOS files fail the step; missing UEFI files only the {@code uefi-boot} service,
 * which names them (BIOS nodes keep being served).
 */
public final class TftpStep implements ApplyStep {
    private final TftpTree tree;
    private volatile boolean complete;
    private volatile Health uefi = Health.pending("not built yet");

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
        uefi = r.uefiComplete() ? Health.ok("shim, GRUB and grub.cfg in place")
                : Health.failed("UEFI nodes cannot boot: " + String.join("; ", r.uefiProblems()));
        if (!r.complete()) {
            return new StepResult.Failed("incomplete: " + String.join("; ", r.problems()));
        }
        complete = true;
        return r.updated() == 0 ? StepResult.UNCHANGED : StepResult.of(List.of(r.updated() + " files updated"));
    }

    @Override
    public Map<String, Health> health() {
        Map<String, Health> out = new LinkedHashMap<>();
        out.put("tftpboot", complete ? Health.ok("complete") : Health.pending("not built yet"));
        out.put("uefi-boot", uefi);
        return out;
    }
}
