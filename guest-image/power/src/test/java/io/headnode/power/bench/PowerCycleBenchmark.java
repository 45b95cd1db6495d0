package io.headnode.power.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Machine;
import io.headnode.contract.ShareLayout;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerService;
import io.headnode.power.PowerSettings;
import io.headnode.power.Ticker;
import io.headnode.power.amt.FakeAmt;
import io.headnode.power.batch.PowerBatch;
import io.headnode.power.ipmi.IpmiSim;
import io.headnode.power.redfish.FakeRedfish;
import io.headnode.power.redfish.TestCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (its name matches neither *Test nor *IT, so `mvn verify` does not run it):
 * power-cycles 100 BMCs (40 ipmi_sim, 30 FakeAmt over WS-Man, 30 FakeRedfish, with realistic latency) once with
 * a sequential loop like the seed's and then with PowerBatch, in one run. Run:
 * {@code mvn -B -pl guest-image/power test -Dtest=PowerCycleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * Results go to stdout and target/power-benchmark.md.
 */
class PowerCycleBenchmark {
    static final int IPMI = Integer.getInteger("bench.ipmi", 40);
    static final int AMT = Integer.getInteger("bench.amt", 30);
    static final int REDFISH = Integer.getInteger("bench.redfish", 30);

    @TempDir
    Path dir;

    @Test
    void powerCycle100Bmcs() throws Exception {
        List<AutoCloseable> bmcs = new ArrayList<>();
        try {
            StringBuilder machines = new StringBuilder();
            StringBuilder creds = new StringBuilder();
            List<Machine> all = new ArrayList<>();
            int n = 0;
            for (int i = 0; i < IPMI; i++) {
                IpmiSim s = IpmiSim.start(dir.resolve("ipmi" + i), "pw", true);
                bmcs.add(s);
                Machine m = Fixtures.machine(++n, s.address());
                all.add(m);
                creds.append(m.bmc()).append(" driver=ipmi user=admin secret=pw\n");
            }
            for (int i = 0; i < AMT; i++) {
                FakeAmt a = FakeAmt.start("admin", "pw", true).latency(Duration.ofMillis(150)).commandLatency(Duration.ofMillis(300))
                        .cycleOffFor(Duration.ofMillis(1500));
                bmcs.add(a);
                Machine m = Fixtures.machine(++n, a.address());
                all.add(m);
                creds.append(m.bmc()).append(" driver=amt user=admin secret=pw\n");
            }
            for (int i = 0; i < REDFISH; i++) {
                FakeRedfish r = FakeRedfish.start("root", "pw", true).latency(Duration.ofMillis(200)).cycleOffFor(Duration.ofMillis(2000));
                bmcs.add(r);
                Machine m = Fixtures.machine(++n, r.address());
                all.add(m);
                creds.append(m.bmc()).append(" driver=redfish user=root secret=pw ca=bmc-ca.pem\n");
            }
            all.forEach(m -> machines.append(m.mac()).append(' ').append(m.bmc()).append('\n'));
            ShareLayout share = Fixtures.share(dir.resolve("share"), machines.toString(), creds.toString());
            Files.copy(TestCert.pem(), share.root().resolve("bmc-ca.pem"));
            PowerSettings base = new PowerSettings(Duration.ofSeconds(5), 3, Duration.ofMillis(500), Duration.ofSeconds(4),
                    Duration.ofMillis(100), Duration.ofSeconds(20), Duration.ofMillis(250), 16, Duration.ofMillis(100));

            StringBuilder report = new StringBuilder();
            report.append(String.format(Locale.ROOT, "%d BMCs: %d ipmi_sim, %d FakeAmt (WS-Man, 150 ms per request, 300 ms per command, off 1.5 s in a cycle), "
                    + "%d FakeRedfish (HTTPS, 200 ms per request, off 2 s in a cycle); all on before each run.%n%n", all.size(), IPMI, AMT, REDFISH));
            report.append("| run | settings | wall time | sum of per-node times | slowest node | failed |\n|---|---|---|---|---|---|\n");

            PowerService seq = Fixtures.service(share, base);
            long t0 = System.nanoTime();
            List<Duration> times = new ArrayList<>();
            int failed = 0;
            for (Machine m : all) {
                long s = System.nanoTime();
                if (!seq.cycle(m).succeeded()) {
                    failed++;
                }
                times.add(Duration.ofNanos(System.nanoTime() - s));
            }
            row(report, "sequential loop (like the seed's)", "one node at a time", Duration.ofNanos(System.nanoTime() - t0), times, failed);
            assertThat(failed).isZero();

            for (PowerSettings s : List.of(base, base.withParallelism(100).withStagger(Duration.ofMillis(20)))) {
                PowerService svc = Fixtures.service(share, s);
                long b0 = System.nanoTime();
                List<PowerBatch.Result> r = new PowerBatch(s, Ticker.SYSTEM).run(all, true, svc::cycle);
                Duration wall = Duration.ofNanos(System.nanoTime() - b0);
                long bad = r.stream().filter(x -> !x.outcome().succeeded()).count();
                row(report, "PowerBatch", "parallel " + s.parallelism() + ", stagger " + s.stagger().toMillis() + " ms",
                        wall, r.stream().map(PowerBatch.Result::took).toList(), (int) bad);
                assertThat(bad).isZero();
            }
            System.out.println(report);
            Files.writeString(Path.of("target", "power-benchmark.md"), report.toString());
        } finally {
            for (AutoCloseable c : bmcs) {
                c.close();
            }
        }
    }

    private static void row(StringBuilder b, String run, String settings, Duration wall, List<Duration> times, int failed) {
        Duration sum = times.stream().reduce(Duration.ZERO, Duration::plus);
        Duration max = times.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        b.append(String.format(Locale.ROOT, "| %s | %s | %.1f s | %.1f s | %.2f s | %d |%n", run, settings, wall.toMillis() / 1000.0,
                sum.toMillis() / 1000.0, max.toMillis() / 1000.0, failed));
    }
}
