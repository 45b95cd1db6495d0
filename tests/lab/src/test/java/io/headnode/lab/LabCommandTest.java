package io.headnode.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LabCommandTest {
    @Test
    void labOptionsWorkBeforeAndAfterTheSubcommand() {
        LabCommand before = new LabCommand();
        new CommandLine(before).parseArgs("--nodes", "2", "--dir", "/tmp/lab1", "up", "--skip-deps");
        LabCommand after = new LabCommand();
        new CommandLine(after).parseArgs("--build-image", "/src/build-image.sh", "up", "--nodes", "3", "--namespace", "hnx");
        assertThat(before.nodes).isEqualTo(2);
        assertThat(before.dir).isEqualTo(Path.of("/tmp/lab1"));
        assertThat(after.nodes).isEqualTo(3);
        assertThat(after.namespace).isEqualTo("hnx");
        assertThat(after.buildImage).isEqualTo(Path.of("/src/build-image.sh"));
    }

    @Test
    void upWithoutAnImageOrABuildScriptIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = LabCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "up", "--skip-deps");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no image").contains("--build-image");
    }

    @Test
    void badSettingsAreUsageErrors() {
        StringWriter err = new StringWriter();
        int code = LabCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "--nodes", "9", "status");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("outside 1..4");
    }

    @Test
    void anUnknownSubcommandIsAUsageErrorEvenWithHelp() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(LabCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "nosuch", "--help")).isEqualTo(2);
        assertThat(err.toString()).contains("'nosuch'");
        assertThat(out.toString()).isEmpty();
        StringWriter help = new StringWriter();
        assertThat(LabCommand.run(new PrintWriter(help, true), new PrintWriter(new StringWriter(), true), "status", "--help")).isZero();
        assertThat(help.toString()).contains("Usage: lab status");
    }
}
