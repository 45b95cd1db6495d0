package io.headnode.agent.install;

import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.MacAddress;
import java.io.IOException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Makes pxelinux.cfg match an install book: a per-MAC config for each active install, none of the agent's for the
 * rest (an operator's own per-MAC files are left alone: {@link PxeConfigs}). Files are rewritten only when their
 * content differs, so a sync with nothing new only reads.
 */
public final class PxeSync {
    /** What one sync changed. */
    public record Result(int written, int removed) {
    }

    private final PxeConfigs configs;
    private final InstallTemplates templates;

    public PxeSync(PxeConfigs configs, InstallTemplates templates) {
        this.configs = Objects.requireNonNull(configs, "configs is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
    }

    public Result sync(InstallBook book, InstallSite site) throws IOException {
        Set<MacAddress> active = new HashSet<>();
        int written = 0;
        for (NodeInstall n : book.nodes().values()) {
            if (n.active()) {
                MacAddress mac = MacAddress.parse(n.mac());
                active.add(mac);
                if (configs.write(mac, templates.pxeConfig(site, n))) {
                    written++;
                }
            }
        }
        return new Result(written, configs.removeAllExcept(active));
    }
}
