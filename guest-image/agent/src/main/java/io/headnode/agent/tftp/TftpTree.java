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
 * The tftpboot tree from Debian's syslinux paths: pxelinux.0 (and lpxelinux.0), the BIOS modules pxelinux needs,
 * memdisk, and pxelinux.cfg/default booting the local disk. Files are copied only when their content differs.
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

    /** What a build did: files updated, and the problems (missing source files; none when the tree is complete). */
    public record Result(int updated, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean complete() {
            return problems.isEmpty();
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
        byte[] def = templates.render("pxelinux-default.vm", Map.of()).getBytes(StandardCharsets.UTF_8);
        if (AtomicFiles.writeIfChanged(config.pxelinuxCfg().resolve("default"), def)) {
            copied++;
        }
        if (copied > 0) {
            LOG.info("tftpboot tree {}: {} files updated", root, copied);
        }
        problems.forEach(p -> LOG.error("tftpboot tree incomplete: {}", p));
        return new Result(copied, problems);
    }

    private static int copy(Path from, Path to, List<String> problems) throws IOException {
        if (!Files.isRegularFile(from)) {
            if (problems != null) {
                problems.add(from + " is missing (install pxelinux and syslinux-common)");
            }
            return 0;
        }
        return AtomicFiles.writeIfChanged(to, Files.readAllBytes(from)) ? 1 : 0;
    }
}
