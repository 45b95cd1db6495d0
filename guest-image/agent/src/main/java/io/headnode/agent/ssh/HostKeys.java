package io.headnode.agent.ssh;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvLines;
import io.headnode.contract.AgentStatus.HostKey;
import io.headnode.contract.SshPublicKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sshd's host keys as the head node generated them on its first boot: the public halves, {@code ssh_host_*_key.pub}
 * in the host key directory (/etc/ssh), checked as {@link SshPublicKey}s and ordered as OpenSSH prefers the types.
 * A file that is not a key is skipped with a warning; none yet (before the first-boot unit ran) is an empty list.
 */
public final class HostKeys {
    /** A .pub line is short; a larger file is not a host key. */
    static final int MAX_BYTES = 16 << 10;
    private static final Logger LOG = LoggerFactory.getLogger(HostKeys.class);
    private final Path dir;

    public HostKeys(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir is null");
    }

    public List<HostKey> read() {
        List<SshPublicKey> keys = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "ssh_host_*_key.pub")) {
            for (Path f : files) {
                try {
                    if (Files.isRegularFile(f)) {
                        keys.add(SshPublicKey.parseLine(new String(KvLines.readBounded(f, f.toString(), MAX_BYTES), StandardCharsets.UTF_8)));
                    }
                } catch (IOException | KvException | IllegalArgumentException e) {
                    LOG.warn("host key {} skipped: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list host keys in {}: {}", dir, e.toString());
        }
        keys.sort(Comparator.comparingInt((SshPublicKey k) -> SshPublicKey.TYPES.indexOf(k.type())).thenComparing(SshPublicKey::base64));
        return keys.stream().distinct().map(HostKey::of).toList();
    }
}
