package io.headnode.power.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Machine;
import io.headnode.contract.ShareLayout;
import io.headnode.power.BootDevice;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IPMI driver, through PowerModule's service, against real ipmi_sim BMCs driven by real ipmitool. */
class IpmiDriverIT {
    @TempDir
    static Path dir;
    static IpmiSim sim;
    static IpmiSim other;
    static PowerService power;
    static Machine node;
    static Machine otherNode;

    @BeforeAll
    static void start() {
        sim = IpmiSim.start(dir.resolve("sim1"), "s3cret-1", false);
        other = IpmiSim.start(dir.resolve("sim2"), "right-password", true);
        node = Fixtures.machine(1, sim.address());
        otherNode = Fixtures.machine(2, other.address());
        ShareLayout share = Fixtures.share(dir.resolve("share"),
                node.mac() + " " + node.bmc() + "\n" + otherNode.mac() + " " + otherNode.bmc() + "\n",
                "* driver=ipmi user=admin secret=s3cret-1\n"
                        + otherNode.bmc() + " driver=ipmi user=admin secret=wrong-password\n");
        power = Fixtures.service(share, Fixtures.fast());
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    void powerLifecycle() {
        assertThat(power.status(node)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);

        PowerOutcome on = power.on(node);
        assertThat(on.kind()).isEqualTo(Kind.DONE);
        assertThat(on.state()).isEqualTo(PowerState.ON);
        assertThat(sim.log()).containsExactly("power 1");

        assertThat(power.on(node).kind()).as("second on").isEqualTo(Kind.ALREADY);
        assertThat(sim.log()).as("nothing sent when already on").containsExactly("power 1");

        assertThat(power.reset(node)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.ON);
        assertThat(sim.log()).endsWith("reset 1");

        PowerOutcome cycle = power.cycle(node);
        assertThat(cycle.kind()).isEqualTo(Kind.DONE);
        assertThat(cycle.state()).isEqualTo(PowerState.ON);
        assertThat(sim.log()).as("ipmi_sim cycles as off, then on").endsWith("power 0", "power 1");

        assertThat(power.off(node)).extracting(PowerOutcome::kind, PowerOutcome::state).containsExactly(Kind.DONE, PowerState.OFF);
        assertThat(power.off(node).kind()).isEqualTo(Kind.ALREADY);
        assertThat(power.reset(node).kind()).as("reset of an off node").isEqualTo(Kind.REFUSED);

        PowerOutcome cycleWhenOff = power.cycle(node);
        assertThat(cycleWhenOff.kind()).isEqualTo(Kind.DONE);
        assertThat(cycleWhenOff.state()).as("cycle powers on a node that is off").isEqualTo(PowerState.ON);
        assertThat(cycleWhenOff.detail()).contains("node was off");
    }

    @Test
    void bootDevice() {
        assertThat(power.bootDevice(node, BootDevice.PXE, true).kind()).isEqualTo(Kind.DONE);
        assertThat(sim.bootDevice()).isEqualTo("pxe");
        assertThat(power.bootDevice(node, BootDevice.DISK, false).kind()).isEqualTo(Kind.DONE);
        assertThat(sim.bootDevice()).isEqualTo("default");
    }

    @Test
    void wrongPasswordIsRefusedAndNotRetried() {
        long t0 = System.nanoTime();
        PowerOutcome o = power.on(otherNode);
        assertThat(o.kind()).isEqualTo(Kind.REFUSED);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.detail()).contains("rejected the user or password").doesNotContain("wrong-password").doesNotContain("attempts");
        assertThat(other.log()).isEmpty();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
    }

    @Test
    void passwordIsNotInTheProcessList() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Machine m = Fixtures.machine(4, "127.0.0.1:" + silent.getLocalPort());
            Thread caller = new Thread(() -> power.status(m));
            caller.start();
            java.util.List<String> seen = new java.util.ArrayList<>();
            String port = "-p " + silent.getLocalPort() + " ";
            while (caller.isAlive()) {
                // only this test's ipmitool (its BMC's port); a process caught while it starts or exits shows no
                // arguments at all, which says nothing about the password, so such samples are left out
                ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("ipmitool"))
                        .map(p -> String.join(" ", p.info().arguments().orElse(new String[0])))
                        .filter(args -> args.contains(port))
                        .forEach(seen::add);
                Thread.sleep(20);
            }
            assertThat(seen).isNotEmpty().allSatisfy(args -> assertThat(args).contains("-E").doesNotContain("s3cret-1"));
        }
    }

    @Test
    void silentBmcTimesOutWithinTheBound() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Machine m = Fixtures.machine(3, "127.0.0.1:" + silent.getLocalPort());
            long t0 = System.nanoTime();
            PowerOutcome o = power.status(m);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(o.kind()).isEqualTo(Kind.TIMED_OUT);
            assertThat(o.detail()).containsAnyOf("BMC did not answer", "gave no answer").contains("after 2 attempts");
            assertThat(ms).as("2 attempts of at most 3 s each plus backoff").isLessThan(10000);
        }
    }
}
