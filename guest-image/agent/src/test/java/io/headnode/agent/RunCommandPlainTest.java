package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The boot's command lines read without picocli give what picocli gives; everything else is left to picocli. */
class RunCommandPlainTest {
    static Path picocliConfig(String... args) {
        ParseResult parsed = Main.commandLine().parseArgs(args);
        RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        return run.config.file;
    }

    static Path plainConfig(String... args) {
        return RunCommand.plain(args).orElseThrow().config.file;
    }

    @Test
    void theUnitsCommandLinesMatchPicocli() {
        for (String[] args : new String[][] {{"run"}, {"run", "--config", "/etc/headnode/agent.conf"},
                {"run", "--config", "/tmp/x y/agent.conf"}, {"run", "--config=/srv/a.conf"}, {"run", "--config", "relative.conf"}}) {
            assertThat(plainConfig(args)).as(String.join(" ", args)).isEqualTo(picocliConfig(args));
        }
        assertThat(plainConfig("run")).isEqualTo(Path.of("/etc/headnode/agent.conf"));
    }

    @Test
    void anythingElseGoesToPicocli() {
        for (String[] args : new String[][] {{}, {"status"}, {"run", "--help"}, {"run", "--config"}, {"run", "--config="},
                {"run", "--config", "--help"}, {"run", "extra"}, {"run", "--config", "a", "b"}, {"--config", "a", "run"},
                {"run", "-h"}, {"power", "status"}}) {
            assertThat(RunCommand.plain(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void picocliStillServesHelp() {
        assertThat(new CommandLine(new Main()).getSubcommands()).containsKey("run");
        assertThat(CommandsTest.run("run", "--help").out()).contains("--config=FILE");
    }
}
