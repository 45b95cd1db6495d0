package io.headnode.orchestrator.cli;

import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.orchestrator.images.ImageReferences;
import io.headnode.orchestrator.images.ImageStore;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.FleetImage;
import io.headnode.orchestrator.cluster.FleetImages;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.HostRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code headnode images add|list|rm}: the host's image catalog (image-dir), one copy of each image for every head
 * node, exported to each read-only; {@code headnode install --image NAME} deploys one. In cluster mode the catalog is
 * the fleet's ({@code /images} in ZooKeeper, {@link FleetImage}): {@code add} records the entry with FILE as the
 * source every host copies from, {@code list} shows which hosts hold each image, {@code rm} removes the entry and
 * every host its copy.
 */
@Command(name = "images", mixinStandardHelpOptions = true, description = "Manage the image catalog that head nodes serve to their nodes.",
        subcommands = {ImagesCommand.Add.class, ImagesCommand.ListImages.class, ImagesCommand.Remove.class})
public final class ImagesCommand implements Callable<Integer> {
    @Spec
    CommandSpec cmd;
    @ParentCommand
    HeadnodeCommand root;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "missing subcommand: add, list or rm");
    }

    static ImageName name(String text) {
        try {
            return ImageName.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add FILE (raw or qcow2, detected from its content) to the catalog; a qcow2 is converted to raw once, here. "
                    + "Records the size and sha256 of the raw image.")
    public static final class Add implements Callable<Integer> {
        @ParentCommand
        ImagesCommand parent;
        @Parameters(paramLabel = "FILE", description = "the image file")
        Path file;
        @Option(names = "--name", paramLabel = "NAME", description = "its name in the catalog (default: FILE's name without its extensions)")
        String name;

        @Override
        public Integer call() throws Exception {
            ImageName n = name(name != null ? name : defaultName(file));
            PrintWriter out = parent.cmd.commandLine().getOut();
            var cluster = parent.root.cluster();
            if (cluster.isPresent()) {
                return addToFleet(cluster.get(), n, out, parent.cmd.commandLine().getErr());
            }
            try {
                ImageEntry e = parent.root.get(ImageStore.class).add(file, n);
                out.println("image " + e.name() + " added: " + e.sourceFormat() + (e.sourceFormat().equals("raw") ? "" : " converted to raw") + ", "
                        + e.size() + " bytes (" + size(e.size()) + "), sha256 " + e.sha256());
                out.flush();
                return 0;
            } catch (ImageStore.ImageException e) {
                PrintWriter err = parent.cmd.commandLine().getErr();
                err.println("headnode images add: " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        /**
         * Computes the entry the way every host will (detect, convert a qcow2 to raw, hash) in a temporary catalog
         * beside the image dir, records it with FILE's absolute path as the source, and drops the temporary copy: every
         * host's service, this one's too, copies the image from the source into its own catalog.
         */
        private int addToFleet(ClusterStore store, ImageName n, PrintWriter out, PrintWriter err) throws Exception {
            Path source = file.toAbsolutePath().normalize();
            if (store.image(n).isPresent()) {
                err.println("headnode images add: image " + n + " is in the fleet's catalog already (zookeeper:" + ClusterStore.imagePath(n)
                        + "); headnode images rm " + n + " first");
                err.flush();
                return 1;
            }
            ImageStore local = parent.root.get(ImageStore.class);
            Path dir = local.catalog().root().toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, ".headnode-images-add-");
            try {
                ImageEntry e = local.in(tmp).add(source, n);
                if (!store.addImage(new FleetImage(e, source))) {
                    err.println("headnode images add: image " + n + " was added to the fleet meanwhile; not replaced");
                    err.flush();
                    return 1;
                }
                out.println("image " + e.name() + " recorded in the fleet (zookeeper:" + ClusterStore.imagePath(n) + "): " + e.sourceFormat()
                        + (e.sourceFormat().equals("raw") ? "" : " converted to raw") + ", " + e.size() + " bytes (" + size(e.size()) + "), sha256 "
                        + e.sha256() + "; every host copies it from " + source + " (headnode images list shows which hold it)");
                out.flush();
                return 0;
            } catch (ImageStore.ImageException e) {
                err.println("headnode images add: " + e.getMessage());
                err.flush();
                return 1;
            } finally {
                try (java.util.stream.Stream<Path> s = Files.walk(tmp)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }

        /** {@code debian-12.qcow2} -> {@code debian-12}: the name up to its first dot-extension, lower-cased. */
        static String defaultName(Path file) {
            String base = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            int dot = base.indexOf('.', 1);
            return dot > 0 ? base.substring(0, dot) : base;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the catalog's images (and any entry file it cannot read).")
    public static final class ListImages implements Callable<Integer> {
        @ParentCommand
        ImagesCommand parent;

        @Override
        public Integer call() throws Exception {
            var cluster = parent.root.cluster();
            if (cluster.isPresent()) {
                return listFleet(cluster.get());
            }
            ImageCatalog.Listing l = parent.root.get(ImageStore.class).catalog().list();
            PrintWriter out = parent.cmd.commandLine().getOut();
            TextTable t = TextTable.of("NAME", "SIZE", "BYTES", "FROM", "ADDED", "SHA256");
            for (ImageEntry e : l.images()) {
                t.row(e.name(), size(e.size()), e.size(), e.sourceFormat(), e.added().map(Object::toString).orElse("-"), e.sha256());
            }
            if (t.size() == 0) {
                out.println("no images in " + parent.root.get(ImageStore.class).catalog().root());
            } else {
                t.print(out, "");
            }
            out.flush();
            PrintWriter err = parent.cmd.commandLine().getErr();
            l.errors().forEach(e -> err.println("headnode images list: " + e.getMessage()));
            err.flush();
            return l.errors().isEmpty() ? 0 : 1;
        }

        /** The fleet's catalog, with how many live hosts hold each image and why the others do not. */
        private int listFleet(ClusterStore store) throws Exception {
            FleetImages images = store.images();
            Map<HostId, HostRecord> hosts = store.hosts();
            PrintWriter out = parent.cmd.commandLine().getOut();
            TextTable t = TextTable.of("NAME", "SIZE", "BYTES", "FROM", "ADDED", "SHA256", "HOSTS", "SOURCE");
            for (FleetImage f : images.images().values()) {
                ImageEntry e = f.entry();
                t.row(e.name(), size(e.size()), e.size(), e.sourceFormat(), e.added().map(Object::toString).orElse("-"), e.sha256(),
                        hostsColumn(e.name(), hosts), f.source());
            }
            if (t.size() == 0) {
                out.println("no images in the fleet's catalog");
            } else {
                t.print(out, "");
            }
            out.flush();
            PrintWriter err = parent.cmd.commandLine().getErr();
            images.errors().forEach(e -> err.println("headnode images list: " + e.getMessage()));
            err.flush();
            return images.errors().isEmpty() ? 0 : 1;
        }

        /** {@code 3/3}, or {@code 2/3 (hv2: no-source)}: live hosts holding it, of all live hosts. */
        static String hostsColumn(ImageName name, Map<HostId, HostRecord> hosts) {
            List<String> missing = new ArrayList<>();
            hosts.forEach((h, r) -> {
                String why = r.imagesMissing().get(name);
                if (why != null) {
                    missing.add(h + ": " + why);
                }
            });
            return (hosts.size() - missing.size()) + "/" + hosts.size() + (missing.isEmpty() ? "" : " (" + String.join(", ", missing) + ")");
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove an image. Refused while an install request younger than its VLAN's install deadline names it, unless --force.")
    public static final class Remove implements Callable<Integer> {
        @ParentCommand
        ImagesCommand parent;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--force", description = "remove it even while install requests may still use it")
        boolean force;

        @Override
        public Integer call() throws Exception {
            ImageName n = name(name);
            PrintWriter out = parent.cmd.commandLine().getOut();
            PrintWriter err = parent.cmd.commandLine().getErr();
            var cluster = parent.root.cluster();
            List<ImageReferences.Use> uses = cluster.isPresent() ? cluster.get().imageUses(n, parent.root.get(java.time.Clock.class).instant())
                    : parent.root.get(ImageReferences.class).activeUses(n);
            for (ImageReferences.Use u : uses) {
                err.println((force ? "warning: " : "") + "image " + n + " is named by install request " + u.requestId() + " of VLAN " + u.vlan()
                        + " (" + u.file() + "), which may run until " + u.until());
            }
            if (!uses.isEmpty() && !force) {
                err.println("headnode images rm: refused; wait for those installs, or give --force");
                err.flush();
                return 1;
            }
            err.flush();
            if (cluster.isPresent()) {
                if (!cluster.get().removeImage(n)) {
                    err.println("headnode images rm: no image " + n + " in the fleet's catalog");
                    err.flush();
                    return 1;
                }
                out.println("image " + n + " removed from the fleet's catalog; every host removes its copy");
                out.flush();
                return 0;
            }
            if (!parent.root.get(ImageStore.class).remove(n)) {
                err.println("headnode images rm: no image " + n);
                err.flush();
                return 1;
            }
            out.println("image " + n + " removed");
            out.flush();
            return 0;
        }
    }
}
