package io.headnode.deb;

import io.headnode.orchestrator.cli.HeadnodeCommand;
import io.headnode.orchestrator.cli.Main;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build step of the {@code headnode} package: the bash completion script and the AsciiDoc man pages (one per command
 * and subcommand; build-docs.sh turns them into troff) of the CLI as {@link Main} assembles it, so a subcommand added
 * to {@link Main#SUBCOMMANDS} shows up in both without a change here.
 *
 * <p>Usage: {@code CliDocs ADOC_DIR COMPLETION_FILE}
 */
public final class CliDocs {
    private CliDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CliDocs ADOC_DIR COMPLETION_FILE");
        }
        CommandLine cli = new CommandLine(new HeadnodeCommand());
        Main.SUBCOMMANDS.forEach(cli::addSubcommand);
        Path adoc = Files.createDirectories(Path.of(args[0]));
        int rc = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, cli.getCommandSpec());
        if (rc != 0) {
            throw new IOException("picocli ManPageGenerator failed with " + rc);
        }
        Path completion = Path.of(args[1]);
        Files.createDirectories(completion.getParent());
        // sourced by bash-completion, never run: no #! line (Debian policy, lintian bash-completion-with-hashbang)
        String script = AutoComplete.bash("headnode", cli);
        Files.writeString(completion, script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script);
        System.out.println("cli docs: " + adoc.toFile().list().length + " man pages in " + adoc + ", completion " + new File(args[1]));
    }
}
