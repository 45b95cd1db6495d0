package io.headnode.agent.tftp;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.render.Templates;
import io.headnode.contract.AtomicFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tftpboot tree for both firmware families. BIOS, from Debian's syslinux paths: pxelinux.0 (and lpxelinux.0), the
 * modules pxelinux needs, memdisk, and pxelinux.cfg/default booting the local disk. UEFI, from Debian's signed
 * packages: shimx64.efi (Debian 12's shim-signed), grubx64.efi (Debian 13's grub-efi-amd64-signed grubnetx64, which has
 * {@code http} built in: kernel and initrd come over HTTP under Secure Boot too), and grub/grub.cfg, which loads a
 * node's per-MAC config or boots its local disk. Files are copied only when their content differs. A missing UEFI
 * file is reported apart from the BIOS ones: BIOS nodes keep working without it.
 */
public final class TftpTree {
    private static final Logger LOG = LoggerFactory.getLogger(TftpTree.class);
    static final List<String> MODULES = List.of("ldlinux.c32", "menu.c32", "mboot.c32", "chain.c32", "libutil.c32", "libcom32.c32");
    private final AgentConfig config;
    private final Templates templates;

    @Inject
    public TftpTree(AgentConfig config, Templates templates) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
    }

    /**
     * What a build did: files updated, and the problems (missing source files; none when the tree is complete), for
     * BIOS ({@code problems}) and UEFI ({@code uefiProblems}) apart.
     */
    public record Result(int updated, List<String> problems, List<String> uefiProblems) {
        public Result {
            problems = List.copyOf(problems);
            uefiProblems = List.copyOf(uefiProblems);
        }

        public boolean complete() {
            return problems.isEmpty();
        }

        public boolean uefiComplete() {
            return uefiProblems.isEmpty();
        }
    }

    /** Brings the tree up to date, copying only what differs. */
    public Result build() throws IOException {
        Path root = config.tftpRoot();
        Files.createDirectories(config.pxelinuxCfg());
        List<String> problems = new ArrayList<>();
        int copied = 0;
        copied += copy(config.pxelinuxDir().resolve("pxelinux.0"), root.resolve("pxelinux.0"), problems);
        copied += copy(config.pxelinuxDir().resolve("lpxelinux.0"), root.resolve("lpxelinux.0"), null);
        for (String m : MODULES) {
            copied += copy(config.syslinuxModulesDir().resolve(m), root.resolve(m), problems);
        }
        copied += copy(config.memdisk(), root.resolve("memdisk"), problems);
        copied += writeIfChanged(config.pxelinuxCfg().resolve("default"), "pxelinux-default.vm");
        List<String> uefi = new ArrayList<>();
        copied += copy(config.shimFile(), root.resolve(BootFiles.SHIM), uefi, "shim-signed");
        copied += copy(config.grubNetbootFile(), root.resolve(BootFiles.GRUB), uefi, "grub-efi-amd64-signed from Debian 13");
        if (Files.deleteIfExists(root.resolve(BootFiles.STALE_GRUB_HTTP_MOD))) {
            copied++;
        }
        copied += writeIfChanged(root.resolve(BootFiles.GRUB_CFG), "grub-default.vm");
        if (copied > 0) {
            LOG.info("tftpboot tree {}: {} files updated", root, copied);
        }
        problems.forEach(p -> LOG.error("tftpboot tree incomplete: {}", p));
        uefi.forEach(p -> LOG.error("tftpboot tree cannot boot UEFI nodes (BIOS nodes are served): {}", p));
        return new Result(copied, problems, uefi);
    }

    private int writeIfChanged(Path to, String template) throws IOException {
        Files.createDirectories(to.getParent());
        return AtomicFiles.writeIfChanged(to, templates.render(template, Map.of()).getBytes(StandardCharsets.UTF_8)) ? 1 : 0;
    }

    private static int copy(Path from, Path to, List<String> problems) throws IOException {
        return copy(from, to, problems, "pxelinux and syslinux-common");
    }

    private static int copy(Path from, Path to, List<String> problems, String packages) throws IOException {
        if (!Files.isRegularFile(from)) {
            if (problems != null) {
                problems.add(from + " is missing (install " + packages + ")");
            }
            return 0;
        }
        Files.createDirectories(to.getParent());
        return AtomicFiles.writeIfChanged(to, Files.readAllBytes(from)) ? 1 : 0;
    }
}
