package io.headnode.orchestrator.cluster;

import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.contract.ShareFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The fleet's image catalog as read (from ZooKeeper or a member's cache): the entries by name and the refused nodes. */
public record FleetImages(Map<ImageName, FleetImage> images, List<ShareFormatException> errors) {
    public FleetImages {
        images = Collections.unmodifiableMap(new TreeMap<>(images));
        errors = List.copyOf(errors);
    }

    /**
     * Decodes the children of {@code /images} (node name to data). A node whose name is not {@code NAME.image}, or
     * whose data does not decode, is an error and left out; at most {@link ImageCatalog#MAX_IMAGES} are read.
     */
    public static FleetImages decode(Map<String, byte[]> nodes) {
        Map<ImageName, FleetImage> out = new TreeMap<>();
        List<ShareFormatException> errors = new ArrayList<>();
        for (Map.Entry<String, byte[]> n : new TreeMap<>(nodes).entrySet()) {
            String label = "zookeeper:" + ClusterStore.IMAGES + "/" + n.getKey();
            if (out.size() >= ImageCatalog.MAX_IMAGES) {
                errors.add(new ShareFormatException(label, 0, "images", "more than " + ImageCatalog.MAX_IMAGES + " images in the fleet; not read"));
                continue;
            }
            if (!n.getKey().endsWith(ImageEntry.SUFFIX)) {
                errors.add(new ShareFormatException(label, 0, "name", "not NAME" + ImageEntry.SUFFIX));
                continue;
            }
            try {
                FleetImage f = FleetImage.decode(label, n.getValue());
                out.put(f.name(), f);
            } catch (ShareFormatException e) {
                errors.add(e);
            }
        }
        return new FleetImages(out, errors);
    }
}
