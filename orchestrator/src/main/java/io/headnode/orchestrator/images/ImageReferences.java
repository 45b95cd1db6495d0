package io.headnode.orchestrator.images;

import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.ImageName;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import io.headnode.contract.Vlan;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which install requests may still use an image: a request file in any VLAN's share that names it and is younger
 * than that VLAN's install deadline ({@code install-deadline} of its headnode.conf, default 2 h). Request files stay
 * in the share after they ran (it is read-only to the agent), so an older one cannot be running any more: once the
 * deadline passed the agent stops serving the install.
 */
public final class ImageReferences {
    private final Path shareRoot;
    private final Clock clock;

    public ImageReferences(Path shareRoot, Clock clock) {
        this.shareRoot = Objects.requireNonNull(shareRoot, "shareRoot is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** One request that names the image, with its VLAN and the time its install deadline ends. */
    public record Use(Vlan vlan, String requestId, Path file, Instant until) {
    }

    public List<Use> activeUses(ImageName image) throws IOException {
        List<Use> uses = new ArrayList<>();
        if (!Files.isDirectory(shareRoot)) {
            return uses;
        }
        Instant now = clock.instant();
        try (DirectoryStream<Path> vlans = Files.newDirectoryStream(shareRoot)) {
            for (Path dir : vlans) {
                Vlan vlan;
                try {
                    vlan = Vlan.parse(dir.getFileName().toString());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                ShareLayout layout = new ShareLayout(dir);
                Duration deadline = deadline(layout, vlan);
                if (!Files.isDirectory(layout.requests(), LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.requests(), "*" + InstallRequest.SUFFIX)) {
                    for (Path f : files) {
                        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > InstallRequest.MAX_BYTES) {
                            continue;
                        }
                        Instant until = Files.getLastModifiedTime(f).toInstant().plus(deadline);
                        if (!until.isAfter(now)) {
                            continue;
                        }
                        String name = f.getFileName().toString();
                        String id = name.substring(0, name.length() - InstallRequest.SUFFIX.length());
                        use(image, vlan, id, f, Files.readAllBytes(f), until).ifPresent(uses::add);
                    }
                }
            }
        }
        uses.sort(java.util.Comparator.comparing(Use::file));
        return uses;
    }

    private static Duration deadline(ShareLayout layout, Vlan vlan) {
        try {
            return deadline(layout.config().toString(), java.util.Optional.of(Files.readAllBytes(layout.config())), vlan);
        } catch (IOException e) {
            return HeadnodeConfig.defaults(vlan).installDeadline();
        }
    }

    /** The VLAN's install deadline from its headnode.conf (the default when it is missing or refused). */
    public static Duration deadline(String label, java.util.Optional<byte[]> headnodeConf, Vlan vlan) {
        try {
            if (headnodeConf.isPresent()) {
                return HeadnodeConfig.parse(label, headnodeConf.get()).installDeadline();
            }
        } catch (ShareFormatException e) {
            // the agent falls back too
        }
        return HeadnodeConfig.defaults(vlan).installDeadline();
    }

    /** The use of one request (id, content, deadline end) if it names the image; a refused request uses nothing. */
    public static java.util.Optional<Use> use(ImageName image, Vlan vlan, String id, Path file, byte[] content, Instant until) {
        try {
            InstallRequest r = InstallRequest.parse(file.toString(), id, content);
            if (r.image().filter(image::equals).isPresent()) {
                return java.util.Optional.of(new Use(vlan, id, file, until));
            }
        } catch (ShareFormatException | IllegalArgumentException e) {
            // the agent refuses it too: it uses nothing
        }
        return java.util.Optional.empty();
    }
}
