package io.headnode.orchestrator.cli;

import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.orchestrator.images.ImageReferences;
import io.headnode.orchestrator.images.ImageStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code headnode images add|list|rm}: the host's image catalog (image-dir), one copy of each image for every head
 * node, exported to each read-only; {@code headnode install --image NAME} deploys one.
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
            List<ImageReferences.Use> uses = parent.root.get(ImageReferences.class).activeUses(n);
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
