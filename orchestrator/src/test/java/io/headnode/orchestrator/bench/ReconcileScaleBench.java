package io.headnode.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.inject.HostModule;
import io.headnode.orchestrator.inject.ReconcileModule;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import io.headnode.testing.Command;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: steady-state reconcile (nothing to change) over 10, 100 and 1,000 head nodes on
 * test:///default, with the real pipeline: specs, locks, a real `ip` (in a namespace holding the VLAN bridges),
 * share and AppArmor checks, qcow2 headers, libvirt lookups and normalized comparison.
 */
class ReconcileScaleBench {
    @Test
    void steadyStateReconcile() throws Exception {
        Path tmp = Files.createTempDirectory("hnscale");
        StringBuilder report = new StringBuilder("| head nodes | setup (create all) s | steady-state pass s (best of 3) | per head node ms |\n|---|---|---|---|\n");
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            TestHost host = new TestHost(tmp, "test:///default", List.of("ip", "netns", "exec", ns.name()), "br0");
            HostConfig config = host.config;
            Injector injector = Guice.createInjector(new HostModule(config), new ReconcileModule());
            Reconciler reconciler = injector.getInstance(Reconciler.class);
            ns.exec("ip", "link", "add", "name", "br0", "type", "bridge");
            Path image = tmp.resolve("base.qcow2");
            Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "1G");
            int have = 0;
            for (int n : List.of(10, 100, 1000)) {
                long t0 = System.nanoTime();
                for (int v = have + 1; v <= n; v++) {
                    Vlan vlan = new Vlan(v);
                    HeadnodeSpec spec = new HeadnodeSpec(vlan, true, false, Optional.empty(), "br0", 128, 1, image, Optional.empty(),
                            Optional.empty(), Optional.empty(), HeadnodeSpec.uuidFor(vlan), HeadnodeSpec.vlanMacFor(vlan), HeadnodeSpec.publicMacFor(vlan));
                    VlanReport r = reconciler.apply(spec, false);
                    assertThat(r.failed()).as(r.describe()).isFalse();
                }
                double setup = (System.nanoTime() - t0) / 1e9;
                have = n;
                double best = Double.MAX_VALUE;
                for (int i = 0; i < 3; i++) {
                    long p0 = System.nanoTime();
                    List<VlanReport> reports = reconciler.reconcileAll(false);
                    double s = (System.nanoTime() - p0) / 1e9;
                    best = Math.min(best, s);
                    assertThat(reports).hasSize(n);
                    assertThat(reports.stream().filter(VlanReport::changed).map(VlanReport::describe).toList()).isEmpty();
                }
                String line = String.format(Locale.ROOT, "| %d | %.1f | %.3f | %.2f |%n", n, setup, best, best * 1000 / n);
                report.append(line);
                System.out.print(line);
            }
            Hypervisor h = injector.getInstance(Hypervisor.class);
            for (String name : h.domainNames()) {
                h.destroy(name);
                h.undefine(name);
            }
            h.close();
        } finally {
            Command.run("rm", "-rf", tmp.toString());
        }
        Files.writeString(Path.of("target/bench-reconcile-scale.md"), report.toString());
        System.out.println(report);
    }
}
