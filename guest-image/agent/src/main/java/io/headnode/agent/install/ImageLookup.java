package io.headnode.agent.install;

import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageName;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.TargetDisk;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the image an install request names in the host's catalog as the head node sees it (the read-only image share,
 * {@link ImageCatalog#GUEST_MOUNT}); empty when it is not there or its entry is refused (logged). Called when a
 * request runs, on the reconcile thread (it reads a file).
 */
public interface ImageLookup {
    Optional<ImageDeploy> find(ImageName name, Optional<TargetDisk> disk);

    /** No catalog: every image install fails with "not in the image catalog". */
    ImageLookup NONE = (name, disk) -> Optional.empty();

    /** Reads {@code NAME.image} from {@code catalog}. */
    static ImageLookup of(ImageCatalog catalog) {
        Objects.requireNonNull(catalog, "catalog is null");
        Logger log = LoggerFactory.getLogger(ImageLookup.class);
        return (name, disk) -> {
            try {
                return catalog.read(name).map(e -> new ImageDeploy(e.name().value(), e.sha256().hex(), e.size(), disk.map(TargetDisk::path).orElse(null)));
            } catch (IOException | ShareFormatException e) {
                log.error("image {}: cannot read its catalog entry: {}", name, e.getMessage());
                return Optional.empty();
            }
        };
    }
}
