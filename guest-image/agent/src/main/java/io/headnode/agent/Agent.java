package io.headnode.agent;

import io.headnode.agent.apply.ApplyPipeline;
import io.headnode.agent.install.Installs;
import io.headnode.agent.install.RequestSpool;
import io.headnode.agent.power.PowerSettingsWatch;
import io.headnode.agent.share.ShareMounter;
import io.headnode.agent.share.ShareReader;
import io.headnode.agent.share.ShareReading;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.ssh.SshAccessWatch;
import io.headnode.agent.status.StatusPublisher;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.AtomicFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The reconcile loop: every poll interval it reads the share and, when the content is complete, valid and new, runs
 * the apply steps ({@link ApplyPipeline}: profile, network, DHCP, TFTP, daemons, installs, HTTP, firewall); bad
 * content is logged (file, line, field) and the last good state stays in force. Then it runs new install requests,
 * advances installs (deadlines, power), keeps the daemons and the firewall up, and publishes the status. A failure
 * anywhere in a pass is caught: logged once (again only when it changes), shown in the status as the failed service
 * {@value #LOOP_SERVICE} (so not ready), and the loop goes on with the next pass; the status is published either way.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** The status's service name for the reconcile pass itself, listed only while a pass fails. */
    public static final String LOOP_SERVICE = "reconcile";
    private final AgentConfig config;
    private final ShareMounter mounter;
    private final ShareReader reader;
    private final ApplyPipeline steps;
    private final Installs installs;
    private final RequestSpool spool;
    private final StatusPublisher status;
    private final SshAccessWatch ssh;
    private final PowerSettingsWatch powerSettings;
    private final Clock clock;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-loop");
        t.setDaemon(false);
        return t;
    });
    private ShareSnapshot applied;
    private ShareReading reading = ShareReading.missing("not read yet");
    private String lastRejected = "";
    private String loopFailure;
    /** credentials.conf or headnode.conf changed and failed power cycles were not retried yet. */
    private boolean powerSettingsChanged;

    @Inject
    public Agent(AgentConfig config, ShareMounter mounter, ShareReader reader, ApplyPipeline steps, Installs installs, RequestSpool spool,
                 StatusPublisher status, SshAccessWatch ssh, PowerSettingsWatch powerSettings, Clock clock) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.mounter = Objects.requireNonNull(mounter, "mounter is null");
        this.reader = Objects.requireNonNull(reader, "reader is null");
        this.steps = Objects.requireNonNull(steps, "steps is null");
        this.installs = Objects.requireNonNull(installs, "installs is null");
        this.spool = Objects.requireNonNull(spool, "spool is null");
        this.status = Objects.requireNonNull(status, "status is null");
        this.ssh = Objects.requireNonNull(ssh, "ssh is null");
        this.powerSettings = Objects.requireNonNull(powerSettings, "powerSettings is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** Creates the agent's directories and reads the install state, then runs the loop until {@link #close()}. */
    public void start() throws IOException {
        Files.createDirectories(config.stateDir());
        Files.createDirectories(config.runDir());
        Files.createDirectories(config.localRequests());
        removeLeftoverTempFiles();
        installs.load();
        loop.scheduleWithFixedDelay(this::safeTick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A crash (SIGKILL, power loss) between an atomic write's temp file and its rename leaves the temp file; the
     * target is whole (old content). Removed once at start from every directory the agent writes into.
     */
    private void removeLeftoverTempFiles() throws IOException {
        for (java.nio.file.Path d : List.of(config.stateDir(), config.localRequests(), config.runDir(), config.dhcpDir(), config.tftpRoot(),
                config.pxelinuxCfg(), config.grubDir())) {
            List<String> removed = AtomicFiles.removeLeftovers(d);
            if (!removed.isEmpty()) {
                LOG.info("removed {} temp file(s) an interrupted write left in {}: {}", removed.size(), d,
                        removed.size() > 5 ? removed.subList(0, 5) + "..." : removed);
            }
        }
    }

    private void safeTick() {
        FatalErrorHandler.runGuarded(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("reconcile pass failed: {}", e.toString(), e);
            }
        });
    }

    /** One reconcile pass, then the status; a failure in the pass is caught (see the class comment). */
    public synchronized void tick() {
        try {
            pass();
            if (loopFailure != null) {
                LOG.info("reconcile pass works again");
                loopFailure = null;
            }
        } catch (RuntimeException e) {
            String why = e.toString();
            if (!why.equals(loopFailure)) {
                LOG.error("reconcile pass failed; the loop goes on (logged again only if this changes): {}", why, e);
            }
            loopFailure = why;
        }
        status.publish(status());
    }

    private void pass() {
        boolean mounted = !config.mountShare() || mounter.ensureMounted();
        powerSettingsChanged |= mounted && powerSettings.changed();
        reading = mounted ? reader.read() : ShareReading.missing("share " + config.shareMount() + " not mounted: " + mounter.lastError());
        if (reading.kind() == ShareReading.Kind.VALID) {
            ShareSnapshot s = reading.snapshot().orElseThrow();
            lastRejected = "";
            // run also for the share in force: a step that failed on a share since reverted to it is healthy again
            if (steps.run(s, clock.instant()) && !s.equals(applied)) {
                applied = s;
                MDC.put("vlan", s.config().vlan().toString());
                LOG.info("applied share: VLAN {}, {} machines, private address {}", s.config().vlan(), s.machines().machines().size(),
                        s.config().privateAddress());
            }
        } else if (!reading.problem().equals(lastRejected)) {
            lastRejected = reading.problem();
            if (reading.kind() == ShareReading.Kind.INVALID) {
                LOG.error("share content rejected, the last good configuration stays in force: {}", reading.problem());
            } else {
                LOG.warn("share missing: {}", reading.problem());
            }
        }
        if (applied != null) {
            spool.sweepLocal(installs::ranDurably);
            for (InstallRequest r : spool.pending(installs::ran)) {
                installs.request(r).thenAccept(ran -> {
                    if (ran) {
                        spool.consumed(r.id());
                    }
                });
            }
        }
        installs.tick();
        if (powerSettingsChanged && installs.powerSettingsChanged()) {
            powerSettingsChanged = false;   // else no share in force yet: asked again on a later pass
        }
        steps.maintain();
    }

    /** The status (host view): ready, share, machines, services, ssh access. Not yet stamped with the time it is published. */
    public synchronized AgentStatus status() {
        Map<String, Health> services = steps.health();
        if (loopFailure != null) {
            services = new LinkedHashMap<>(services);
            services.put(LOOP_SERVICE, Health.failed(loopFailure));
        }
        boolean ready = applied != null && services.values().stream().allMatch(Health::healthy);
        return new AgentStatus(ready, reading.share(), applied == null ? null : applied.config().vlan(), installs.machines(), 0, services, null)
                .withSsh(ssh.current());
    }

    public synchronized ShareSnapshot applied() {
        return applied;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        steps.close();
        status.close();
    }
}
