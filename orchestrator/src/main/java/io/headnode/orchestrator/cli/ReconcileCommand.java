package io.headnode.orchestrator.cli;

import io.headnode.orchestrator.cluster.ClusterMember;
import io.headnode.orchestrator.cluster.ClusterStore;
import io.headnode.orchestrator.cluster.HostCapacity;
import io.headnode.orchestrator.cluster.HostFacts;
import io.headnode.orchestrator.cluster.HostId;
import io.headnode.orchestrator.cluster.LocalShareHeadnodes;
import io.headnode.orchestrator.cluster.Placer;
import io.headnode.orchestrator.config.ClusterConfig;
import io.headnode.orchestrator.config.HostConfig;
import java.time.Clock;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.MetricsAddress;
import io.headnode.orchestrator.metrics.MetricsServer;
import io.headnode.orchestrator.metrics.ReconcileMetrics;
import io.headnode.orchestrator.reconcile.Reconciler;
import io.headnode.orchestrator.reconcile.VlanReport;
import io.headnode.orchestrator.service.ReconcileService;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

/**
 * {@code headnode reconcile}: one pass, or with --every the service ({@link ReconcileService}: periodic passes plus
 * libvirt events, systemd notifications, /metrics) until SIGTERM.
 */
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
            description = "run as a service: a pass every INTERVAL (e.g. 60s, 5m, 1h) and one at once for a VLAN whose "
                    + "domain libvirt reports stopped, undefined, ...; until stopped")
    Duration every;
    @Option(names = "--metrics-address", paramLabel = "HOST:PORT|none",
            description = "with --every: serve /metrics here (default: the config's metrics-address, " + MetricsAddress.DEFAULT + ")")
    String metricsAddress;
    @Option(names = "--events", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "with --every: also reconcile a VLAN at once on libvirt's domain events (default; --no-events: periodic passes only)")
    boolean events;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = cmd.commandLine().getOut();
        if (every == null) {
            return pass(root.get(Reconciler.class), out) ? 0 : 1;
        }
        if (vlan != null || dryRun) {
            throw new UsageException("--every runs over every VLAN and changes them: it takes neither --vlan nor --dry-run");
        }
        Optional<MetricsAddress> address;
        try {
            address = MetricsAddress.parse(metricsAddress != null ? metricsAddress : root.hostConfig().metricsAddress());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--metrics-address: " + e.getMessage());
        }
        ReconcileService service = root.get(ReconcileService.class);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            service.stop();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "headnode-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (MetricsServer metrics = serveMetrics(address); ClusterMember member = joinFleet(service)) {
            service.run(every, events, out);
            return 0;
        } finally {
            stopped.countDown();
        }
    }

    /**
     * In cluster mode: this host joins the fleet (registers, runs for leader, mirrors what is placed here into the
     * local specs and shares, and asks the service for a pass per changed VLAN); null on the embedded single host.
     */
    private ClusterMember joinFleet(ReconcileService service) throws Exception {
        Optional<ClusterStore> store = root.cluster();
        if (store.isEmpty()) {
            return null;
        }
        HostConfig config = root.hostConfig();
        ClusterConfig c = config.cluster();
        HostId me = HostFacts.hostId(c);
        ClusterMember member = new ClusterMember(store.get(), me, c.connect(), c.sessionTimeoutMs(),
                root.get(LocalShareHeadnodes.class),
                () -> new HostCapacity(me, HostFacts.freeMemoryMib(), c.headnodeLimit(), false), List.of(config.publicBridge()),
                service::request, new Placer(config.defaultMemoryMib()), Duration.ofSeconds(30), Clock.systemUTC());
        io.headnode.orchestrator.spec.HeadnodePaths paths = root.get(io.headnode.orchestrator.spec.HeadnodePaths.class);
        member.recordInstalls(vlans -> {
            java.util.Map<io.headnode.contract.Vlan, java.nio.file.Path> sockets = new java.util.TreeMap<>();
            vlans.forEach(v -> sockets.put(v, paths.statusSocket(v)));
            return io.headnode.orchestrator.status.AgentStatuses.read(sockets, Duration.ofSeconds(2), java.time.Instant.now());
        }, Duration.ofSeconds(5));
        member.mirrorImages(new io.headnode.orchestrator.cluster.FleetImageMirror(root.get(io.headnode.orchestrator.images.ImageStore.class)),
                Duration.ofSeconds(30));
        member.start();
        return member;
    }

    private MetricsServer serveMetrics(Optional<MetricsAddress> address) throws Exception {
        if (address.isEmpty()) {
            return null;
        }
        ReconcileMetrics metrics = root.get(ReconcileMetrics.class);
        try {
            MetricsServer server = MetricsServer.start(address.get().socketAddress(), metrics::scrape);
            log.info("serving metrics on http://{}/metrics", new MetricsAddress(server.address().getHostString(), server.address().getPort()));
            return server;
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + address.get() + ": " + e.getMessage(), e);
        }
    }

    /** One pass; prints every VLAN. Returns false on a failure. */
    private boolean pass(Reconciler reconciler, PrintWriter out) throws Exception {
        List<VlanReport> reports = vlan != null ? List.of(reconciler.reconcile(vlan, dryRun)) : reconciler.reconcileAll(dryRun);
        boolean ok = true;
        for (VlanReport r : reports) {
            out.print(r.describe());
            ok &= !r.failed();
        }
        if (reports.isEmpty()) {
            out.println("no head nodes declared");
        }
        out.flush();
        return ok;
    }
}
