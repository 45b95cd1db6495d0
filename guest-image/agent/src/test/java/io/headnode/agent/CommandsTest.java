package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI as the guest uses it: status exit codes 0/1/2, install spooling, and the power subcommand being there. */
class CommandsTest {
    record Run(int exit, String out) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        return new Run(cl.execute(args), out.toString());
    }

    static Path conf(Path dir) throws Exception {
        Path f = dir.resolve("agent.conf");
        Files.writeString(f, "state-dir = " + dir.resolve("state") + "\nstatus-interval-ms = 10000\n");
        return f;
    }

    static void status(Path dir, boolean ready, Instant updated) throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/status.json"), "{\"ready\":" + ready + ",\"share\":\"mounted-ro\",\"vlan\":5,"
                + "\"machines\":[{\"mac\":\"52:54:00:00:00:0a\",\"state\":\"installing\",\"address\":\"10.0.5.2\",\"since\":null,\"detail\":\"x\"}],"
                + "\"services\":{\"dhcpd\":{\"state\":\"ok\",\"detail\":\"running\"}},\"updated\":\"" + updated + "\"}\n");
    }

    @Test
    void statusExitCodes(@TempDir Path dir) throws Exception {
        Path conf = conf(dir);
        assertThat(run("status", "--config", conf.toString()).exit()).isEqualTo(2);
        status(dir, true, Instant.now());
        Run ok = run("status", "--config", conf.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("mounted-ro", "52:54:00:00:00:0a", "installing", "dhcpd", "ok", "running");
        status(dir, false, Instant.now());
        assertThat(run("status", "--config", conf.toString()).exit()).isEqualTo(1);
        status(dir, true, Instant.now().minusSeconds(120));
        Run stale = run("status", "--config", conf.toString());
        assertThat(stale.exit()).isEqualTo(2);
        assertThat(stale.out()).contains("stale");
        status(dir, true, Instant.now());
        assertThat(run("status", "--json", "--config", conf.toString()).out()).startsWith("{\"ready\":true");
    }

    @Test
    void installSpoolsARequestAndRejectsBadMacs(@TempDir Path dir) throws Exception {
        Path conf = conf(dir);
        Run r = run("install", "--config", conf.toString(), "52:54:00:00:00:0A", "52-54-00-00-00-0b");
        assertThat(r.exit()).as(r.out()).isZero();
        try (var s = Files.list(dir.resolve("state/requests"))) {
            List<Path> files = s.toList();
            assertThat(files).hasSize(1);
            assertThat(Files.readString(files.get(0))).isEqualTo("52:54:00:00:00:0a\n52:54:00:00:00:0b\n");
        }
        assertThat(run("install", "--config", conf.toString(), "--all").exit()).isZero();
        assertThat(run("install", "--config", conf.toString(), "01:00:5e:00:00:01").exit()).isEqualTo(2);
        assertThat(run("install", "--config", conf.toString()).exit()).isEqualTo(2);
        assertThat(run("install", "--config", conf.toString(), "--all", "52:54:00:00:00:0a").exit()).isEqualTo(2);
    }

    @Test
    void powerSubcommandIsRegistered() {
        assertThat(Main.commandLine().getSubcommands()).containsKeys("run", "status", "install", "serve", "power");
    }
}
