package io.headnode.orchestrator.cli;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.VlanReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code headnode reconcile}: one pass, or with --every the periodic service (until SIGTERM). */
@Command(name = "reconcile", mixinStandardHelpOptions = true, description = "Converge head nodes to their specs.")
public final class ReconcileCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ReconcileCommand.class);
    @ParentCommand
    HeadnodeCommand root;
    @Spec
    CommandSpec cmd;

    @Option(names = "--vlan", converter = VlanOption.class, description = "only this VLAN (default: all with a spec)")
    Vlan vlan;
    @Option(names = "--dry-run")
    boolean dryRun;
    @Option(names = "--every", paramLabel = "INTERVAL", converter = IntervalOption.class,
            description = "repeat every INTERVAL (e.g. 60s, 5m, 1h) until stopped")
    Duration every;

    @Override
    public Integer call() throws Exception {
        Reconciler reconciler = root.get(Reconciler.class);
        PrintWriter out = cmd.commandLine().getOut();
        if (every == null) {
            return pass(reconciler, out, true) ? 0 : 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "headnode-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            log.info("reconciling every {} s", every.toSeconds());
            do {
                try {
                    pass(reconciler, out, false);
                } catch (Exception e) {
                    // one bad pass (libvirtd restarting, ...) must not end the service; the next pass retries
                    out.println("reconcile pass failed: " + Main.oneLine(e));
                    out.flush();
                }
            } while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS));
            return 0;
        } finally {
            stopped.countDown();
        }
    }

    /** One pass; prints every VLAN (verbose) or only those that changed or failed. Returns false on a failure. */
    private boolean pass(Reconciler reconciler, PrintWriter out, boolean verbose) throws Exception {
        List<VlanReport> reports = vlan != null ? List.of(reconciler.reconcile(vlan, dryRun)) : reconciler.reconcileAll(dryRun);
        boolean ok = true;
        for (VlanReport r : reports) {
            if (verbose || r.changed() || r.failed()) {
                out.print(r.describe());
            }
            ok &= !r.failed();
        }
        if (verbose && reports.isEmpty()) {
            out.println("no head nodes declared");
        }
        out.flush();
        return ok;
    }
}
