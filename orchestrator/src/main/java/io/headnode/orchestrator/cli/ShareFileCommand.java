package io.headnode.orchestrator.cli;

import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.share.ShareDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The shape of {@code headnode <file> push --vlan N FILE}: validate FILE with the share contract's parser
 * (errors name file, line and field; nothing is written), then install its normalized form into the VLAN's share
 * atomically; an unchanged file is left alone.
 */
abstract class ShareFileCommand implements Callable<Integer> {
    @Spec
    CommandSpec cmd;
    @Option(names = "--vlan", required = true, converter = VlanOption.class)
    Vlan vlan;
    @Parameters(paramLabel = "FILE")
    Path file;

    /** Parses and re-renders the file; throws on bad content. */
    abstract byte[] normalize(String name, byte[] content) throws ShareFormatException, IOException;

    abstract Function<ShareLayout, Path> target();

    /** Writes the checked file atomically, only if it changed; a file that needs more (a secret's mode) overrides this. */
    boolean write(ShareDirectory share, Path target, byte[] content) throws IOException {
        return io.headnode.contract.AtomicFiles.writeIfChanged(target, content);
    }

    abstract HeadnodeCommand root();

    /** What the file holds, for the one-line answer (e.g. "3 machines"). */
    String summary(byte[] normalized) {
        return "valid";
    }

    @Override
    public Integer call() throws Exception {
        byte[] normalized;
        try {
            normalized = normalize(file.toString(), Files.readAllBytes(file));
        } catch (ShareFormatException e) {
            throw new UsageException(e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        }
        ShareDirectory share = root().get(ShareDirectory.class);
        Path target = target().apply(share.layout(vlan));
        var cluster = root().cluster();
        if (cluster.isPresent()) {
            // cluster mode: the fleet's store holds the file; the placed host's service writes it into its share
            if (cluster.get().spec(vlan).isEmpty()) {
                throw new UsageException("VLAN " + vlan + " has no head node in the fleet: run headnode create --vlan " + vlan + " first");
            }
            String name = share.layout(vlan).root().relativize(target).toString();
            boolean written = cluster.get().putShareFile(vlan, name, normalized);
            cmd.commandLine().getOut().println("zookeeper " + io.headnode.orchestrator.cluster.ClusterStore.sharePath(vlan, name) + ": "
                    + summary(normalized) + (written ? ", written" : ", unchanged"));
            cmd.commandLine().getOut().flush();
            return 0;
        }
        if (!Files.isDirectory(target.getParent())) {
            throw new UsageException("VLAN " + vlan + " has no share " + target.getParent() + ": run headnode create --vlan " + vlan + " first");
        }
        boolean written = write(share, target, normalized);
        cmd.commandLine().getOut().println(target + ": " + summary(normalized) + (written ? ", written" : ", unchanged"));
        cmd.commandLine().getOut().flush();
        return 0;
    }

    /** The shape of {@code headnode <file> show --vlan N}: print the share file as the guest sees it. */
    abstract static class Show implements Callable<Integer> {
        @Spec
        CommandSpec cmd;
        @Option(names = "--vlan", required = true, converter = VlanOption.class)
        Vlan vlan;

        abstract HeadnodeCommand root();

        abstract Function<ShareLayout, Path> target();

        /** The text to print for a present file; parsing it again guarantees the guest would accept it. */
        abstract String render(String name, byte[] content) throws ShareFormatException;

        @Override
        public Integer call() throws Exception {
            Path target = target().apply(root().get(ShareDirectory.class).layout(vlan));
            if (!Files.exists(target)) {
                cmd.commandLine().getOut().println("# no " + target.getFileName() + " for VLAN " + vlan);
            } else {
                cmd.commandLine().getOut().print(render(target.toString(), Files.readAllBytes(target)));
            }
            cmd.commandLine().getOut().flush();
            return 0;
        }
    }
}
