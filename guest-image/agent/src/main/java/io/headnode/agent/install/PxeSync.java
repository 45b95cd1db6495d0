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

    /**
     * Like {@link #sync}, for a book that followed {@code previous} (already in line, same site): touches only the
     * nodes whose record changed, so a storm of kickstarts and callbacks costs a file each, not the whole directory.
     */
    public Result syncChanged(InstallBook previous, InstallBook book, InstallSite site) throws IOException {
        int written = 0;
        int removed = 0;
        for (NodeInstall n : book.nodes().values()) {
            if (n.equals(previous.node(n.mac()))) {
                continue;
            }
            MacAddress mac = MacAddress.parse(n.mac());
            if (n.active()) {
                written += configs.write(mac, templates.pxeConfig(site, n)) ? 1 : 0;
            } else {
                removed += configs.remove(mac) ? 1 : 0;
            }
        }
        for (String mac : previous.nodes().keySet()) {
            if (book.node(mac) == null) {
                removed += configs.remove(MacAddress.parse(mac)) ? 1 : 0;
            }
        }
        return new Result(written, removed);
    }
}
