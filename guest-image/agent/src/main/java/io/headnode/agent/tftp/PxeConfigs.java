package io.headnode.agent.tftp;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-MAC boot-loader configs this agent writes, in one directory under one name scheme: pxelinux's
 * ({@code pxelinux.cfg/01-aa-bb-cc-dd-ee-ff}, {@link #PxeConfigs(Path)}) or GRUB's ({@code grub/grub.cfg-01-aa-bb-cc-dd-ee-ff},
 * {@link #grub(Path)}). Every file it writes starts with {@link #MARKER}; it removes only files that carry it, so an
 * operator's own per-MAC files survive.
 */
public final class PxeConfigs {
    public static final String MARKER = "# headnode-agent install config for";
    private static final Logger LOG = LoggerFactory.getLogger(PxeConfigs.class);
    private static final String GRUB_PREFIX = "grub.cfg-";
    private final Path dir;
    private final String prefix;
    private final Pattern name;
    /** Operator-made per-MAC files already reported once (this runs on every poll). */
    private final Set<Path> reportedForeign = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** pxelinux's per-MAC files in {@code pxelinuxCfgDir}. */
    public PxeConfigs(Path pxelinuxCfgDir) {
        this(pxelinuxCfgDir, "");
    }

    private PxeConfigs(Path dir, String prefix) {
        this.dir = Objects.requireNonNull(dir, "dir is null");
        this.prefix = prefix;
        this.name = Pattern.compile(Pattern.quote(prefix) + "01-[0-9a-f]{2}(-[0-9a-f]{2}){5}");
    }

    /** GRUB's per-MAC files in its prefix directory: the name Debian's grubnetx64 looks up (docs/design/uefi-boot.md). */
    public static PxeConfigs grub(Path grubDir) {
        return new PxeConfigs(grubDir, GRUB_PREFIX);
    }

    public Path fileFor(MacAddress mac) {
        return dir.resolve(prefix + mac.pxelinuxConfigName());
    }

    /** Writes the config unless identical; returns true when written. */
    public boolean write(MacAddress mac, String content) throws IOException {
        if (!content.startsWith(MARKER)) {
            throw new IllegalArgumentException("an install config must start with the agent's marker");
        }
        return AtomicFiles.writeIfChanged(fileFor(mac), content.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes every agent-made per-MAC config whose MAC is not in {@code keep}. Returns how many were removed. */
    public int removeAllExcept(Set<MacAddress> keep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, prefix + "01-*")) {
            for (Path p : s) {
                String file = p.getFileName().toString();
                if (name.matcher(file).matches() && !keep.contains(MacAddress.parse(file.substring(prefix.length() + 3)))
                        && removeIfOurs(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Removes the agent-made config of {@code mac} if there is one; returns true when removed. */
    public boolean remove(MacAddress mac) throws IOException {
        Path p = fileFor(mac);
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS) && removeIfOurs(p);
    }

    public boolean exists(MacAddress mac) {
        return Files.exists(fileFor(mac), LinkOption.NOFOLLOW_LINKS);
    }

    private boolean removeIfOurs(Path p) throws IOException {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        byte[] head = new byte[MARKER.length()];
        try (var in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            if (in.readNBytes(head, 0, head.length) != head.length || !new String(head, StandardCharsets.UTF_8).equals(MARKER)) {
                if (reportedForeign.add(p)) {
                    LOG.info("leaving {} alone: not written by the agent", p);
                }
                return false;
            }
        }
        Files.delete(p);
        return true;
    }
}
