package io.headnode.power.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Machine;
import io.headnode.power.BootDevice;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PowerCommandTest {
    @TempDir
    Path share;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    /** Nodes whose BMC is 10.0.0.9 fail; the others succeed. */
    private final PowerService fake = new PowerService() {
        private PowerOutcome o(String what, Machine m) {
            calls.add(what + " " + m.mac());
            return m.bmc().host().equals("10.0.0.9") ? new PowerOutcome(Kind.UNREACHABLE, PowerState.UNKNOWN, "connection refused")
                    : new PowerOutcome(Kind.DONE, PowerState.ON, what);
        }

        public PowerOutcome status(Machine m) { return o("status", m); }
        public PowerOutcome on(Machine m) { return o("on", m); }
        public PowerOutcome off(Machine m) { return o("off", m); }
        public PowerOutcome cycle(Machine m) { return o("cycle", m); }
        public PowerOutcome reset(Machine m) { return o("reset", m); }
        public PowerOutcome bootDevice(Machine m, BootDevice d, boolean once) { return o("boot " + d + " " + once, m); }
    };

    private int run(String... args) {
        Fixtures.share(share, "52:54:00:aa:00:01 10.0.0.1\n52:54:00:aa:00:02 10.0.0.2\n52:54:00:aa:00:09 10.0.0.9\n", "");
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--share=" + share);
        return new CommandLine(new PowerCommand(s -> fake)).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(prepend(all));
    }

    private static String[] prepend(List<String> args) {
        // the share option belongs to "power" itself, before the subcommand
        List<String> l = new ArrayList<>(args);
        String share = l.remove(1);
        l.add(0, share);
        return l.toArray(String[]::new);
    }

    @Test
    void allSucceededExitsZeroWithATable() {
        assertThat(run("status", "52:54:00:aa:00:01", "52-54-00-AA-00-02")).isZero();
        assertThat(out.toString()).contains("MAC").contains("52:54:00:aa:00:02  10.0.0.2").contains("status: 2 node(s), 0 failed, done 2");
        assertThat(calls).containsExactlyInAnyOrder("status 52:54:00:aa:00:01", "status 52:54:00:aa:00:02");
    }

    @Test
    void optionsMayFollowTheSubcommandAndItWorksUnderAParentCommand() {
        Fixtures.share(share, "52:54:00:aa:00:01 10.0.0.1\n", "");
        @CommandLine.Command(name = "headnode-agent")
        class Agent {
        }
        CommandLine agent = new CommandLine(new Agent()).addSubcommand("power", new PowerCommand(s -> fake));
        agent.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int rc = agent.execute("power", "status", "--all", "--share", share.toString(), "--parallel", "2");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(calls).containsExactly("status 52:54:00:aa:00:01");
    }

    @Test
    void anyFailureExitsOne() {
        assertThat(run("cycle", "--all")).isEqualTo(1);
        assertThat(out.toString()).contains("unreachable").contains("cycle: 3 node(s), 1 failed");
    }

    @Test
    void bootdevPassesDeviceAndOnce() {
        assertThat(run("bootdev", "pxe", "--once", "52:54:00:aa:00:01")).isZero();
        assertThat(calls).containsExactly("boot PXE true 52:54:00:aa:00:01");
        assertThat(run("bootdev", "floppy", "52:54:00:aa:00:01")).isEqualTo(2);
        assertThat(err.toString()).contains("'floppy' is not pxe or disk");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("on")).isEqualTo(2);
        assertThat(err.toString()).contains("name nodes by MAC or give --all");
        assertThat(run("on", "52:54:00:aa:00:77")).isEqualTo(2);
        assertThat(err.toString()).contains("52:54:00:aa:00:77 is not in machines.txt");
        assertThat(run("on", "--all", "52:54:00:aa:00:01")).isEqualTo(2);
        assertThat(calls).isEmpty();
    }
}
