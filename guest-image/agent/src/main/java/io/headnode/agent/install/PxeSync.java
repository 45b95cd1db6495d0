package io.headnode.agent.install;

import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.MacAddress;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * Makes the per-MAC boot-loader configs match an install book, in both forms: pxelinux's ({@code pxelinux.cfg/01-<mac>},
 * BIOS) and GRUB's ({@code grub/grub.cfg-01-<mac>}, UEFI). A config of each form for each active install, none of the
 * agent's for the rest (an operator's own per-MAC files are left alone: {@link PxeConfigs}). Files are rewritten only
 * when their content differs, so a sync with nothing new only reads. A profile without a GRUB template writes no GRUB
 * configs (its BIOS installs still work) and keeps the GRUB configs of active installs that are already there.
 */
public final class PxeSync {
    /** What one sync changed (files of both forms). */
    public record Result(int written, int removed) {
    }

    private final PxeConfigs pxelinux;
    private final PxeConfigs grub;
    private final InstallTemplates templates;

    public PxeSync(PxeConfigs pxelinux, PxeConfigs grub, InstallTemplates templates) {
        this.pxelinux = Objects.requireNonNull(pxelinux, "pxelinux is null");
        this.grub = Objects.requireNonNull(grub, "grub is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
    }

    public Result sync(InstallBook book, InstallSite site) throws IOException {
        Set<MacAddress> active = new HashSet<>();
        int written = 0;
        for (NodeInstall n : book.nodes().values()) {
            if (n.active()) {
                MacAddress mac = MacAddress.parse(n.mac());
                active.add(mac);
                if (pxelinux.write(mac, templates.pxeConfig(site, n))) {
                    written++;
                }
                if (templates.hasGrubConfig(site, n) && grub.write(mac, templates.grubConfig(site, n))) {
                    written++;
                }
            }
        }
        return new Result(written, pxelinux.removeAllExcept(active) + grub.removeAllExcept(active));
    }

    /**
     * Like {@link #sync}, for a book that followed {@code previous} (already in line, same site): touches only the
     * nodes whose record changed, so a storm of kickstarts and callbacks costs a file each, not the whole directory.
     */
    public Result syncChanged(InstallBook previous, InstallBook book, InstallSite site) throws IOException {
        // both maps are sorted by MAC: one walk side by side finds the changed, added and removed records; a record
        // the transition did not touch is the same object in both books (profiled: a lookup per node per flush was a
        // quarter of the agent's CPU in a 1,000-node storm)
        int written = 0;
        int removed = 0;
        Iterator<NodeInstall> before = previous.nodes().values().iterator();
        NodeInstall old = before.hasNext() ? before.next() : null;
        for (NodeInstall n : book.nodes().values()) {
            while (old != null && old.mac().compareTo(n.mac()) < 0) {
                removed += remove(MacAddress.parse(old.mac()));   // gone from the book
                old = before.hasNext() ? before.next() : null;
            }
            NodeInstall was = null;   // n's record in the previous book, if it had one
            if (old != null && old.mac().equals(n.mac())) {
                was = old;
                old = before.hasNext() ? before.next() : null;
            }
            if (was == n || n.equals(was)) {
                continue;
            }
            MacAddress mac = MacAddress.parse(n.mac());
            if (n.active()) {
                written += pxelinux.write(mac, templates.pxeConfig(site, n)) ? 1 : 0;
                written += templates.hasGrubConfig(site, n) && grub.write(mac, templates.grubConfig(site, n)) ? 1 : 0;
            } else {
                removed += remove(mac);
            }
        }
        for (; old != null; old = before.hasNext() ? before.next() : null) {
            removed += remove(MacAddress.parse(old.mac()));
        }
        return new Result(written, removed);
    }

    /** Removes the agent's configs of both forms for {@code mac}; how many there were. */
    private int remove(MacAddress mac) throws IOException {
        return (pxelinux.remove(mac) ? 1 : 0) + (grub.remove(mac) ? 1 : 0);
    }
}
