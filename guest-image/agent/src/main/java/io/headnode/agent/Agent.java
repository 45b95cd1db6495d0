package io.headnode.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headnode.agent.dhcp.AddressBook;
import io.headnode.agent.dhcp.DhcpBackend;
import io.headnode.agent.dhcp.DhcpHost;
import io.headnode.agent.dhcp.DhcpPlan;
import io.headnode.agent.http.AgentRoutes;
import io.headnode.agent.http.HttpServer;
import io.headnode.agent.http.StaticFiles;
import io.headnode.agent.install.InstallManager;
import io.headnode.agent.install.RequestSpool;
import io.headnode.agent.net.Firewall;
import io.headnode.agent.net.NetworkSetup;
import io.headnode.agent.net.ServiceDaemons;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareMounter;
import io.headnode.agent.share.ShareReader;
import io.headnode.agent.share.ShareReading;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.status.StatusPublisher;
import io.headnode.agent.tftp.TftpTree;
import io.headnode.contract.Ipv4Cidr;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.contract.InstallRequest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The reconcile loop: every poll interval it reads the share and, when the content is complete, valid and new,
 * brings network, DHCP, the tftpboot tree and the services in line with it; bad content is logged (file, line,
 * field) and the last good state stays in force. Then it runs new install requests, advances installs
 * (deadlines, power), keeps the daemons and the firewall up, and publishes the status.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AgentConfig config;
    private final ShareMounter mounter;
    private final ShareReader reader;
    private final NetworkSetup network;
    private final Firewall firewall;
    private final DhcpBackend dhcp;
    private final AddressBook addresses;
    private final TftpTree tftpTree;
    private final ServiceDaemons daemons;
    private final InstallManager installs;
    private final RequestSpool spool;
    private final StatusPublisher status;
    private final Templates templates;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-loop");
        t.setDaemon(false);
        return t;
    });
    private static final long RETRY_NANOS = 30_000_000_000L;
    private ShareSnapshot applied;
    private ShareSnapshot failed;
    private long failedAt;
    private ShareReading reading = ShareReading.missing("not read yet");
    private String lastRejected = "";
    private String networkHealth = "not applied";
    private String profileHealth = "not applied";
    private String dhcpHealth = "not applied";
    private String tftpTreeHealth = "not built";
    private String daemonsError = "";
    private HttpServer http;
    private String httpBound = "";
    private String httpHealth = "not started";
    private int ticks;

    @Inject
    public Agent(AgentConfig config, ShareMounter mounter, ShareReader reader, NetworkSetup network, Firewall firewall, DhcpBackend dhcp,
                 AddressBook addresses, TftpTree tftpTree, ServiceDaemons daemons, InstallManager installs, RequestSpool spool,
                 StatusPublisher status, Templates templates) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.mounter = Objects.requireNonNull(mounter, "mounter is null");
        this.reader = Objects.requireNonNull(reader, "reader is null");
        this.network = Objects.requireNonNull(network, "network is null");
        this.firewall = Objects.requireNonNull(firewall, "firewall is null");
        this.dhcp = Objects.requireNonNull(dhcp, "dhcp is null");
        this.addresses = Objects.requireNonNull(addresses, "addresses is null");
        this.tftpTree = Objects.requireNonNull(tftpTree, "tftpTree is null");
        this.daemons = Objects.requireNonNull(daemons, "daemons is null");
        this.installs = Objects.requireNonNull(installs, "installs is null");
        this.spool = Objects.requireNonNull(spool, "spool is null");
        this.status = Objects.requireNonNull(status, "status is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
    }

    /** Applies the firewall, then runs the loop until {@link #close()}. */
    public void start() throws IOException {
        java.nio.file.Files.createDirectories(config.stateDir());
        java.nio.file.Files.createDirectories(config.runDir());
        java.nio.file.Files.createDirectories(config.localRequests());
        if (config.manageFirewall()) {
            firewall.apply();
        }
        loop.scheduleWithFixedDelay(this::safeTick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("reconcile pass failed: {}", e.toString(), e);
        }
    }

    /** One reconcile pass. */
    public synchronized void tick() {
        ticks++;
        if (applied != null) {
            MDC.put("vlan", applied.config().vlan().toString());
        }
        boolean mounted = !config.mountShare() || mounter.ensureMounted();
        reading = mounted ? reader.read() : ShareReading.missing("share " + config.shareMount() + " not mounted: " + mounter.lastError());
        if (reading.kind() == ShareReading.Kind.VALID) {
            ShareSnapshot s = reading.snapshot().orElseThrow();
            lastRejected = "";
            if (!s.equals(applied) && retryDue(s)) {
                if (apply(s)) {
                    applied = s;
                    failed = null;
                    MDC.put("vlan", s.config().vlan().toString());
                } else {
                    failed = s;
                    failedAt = System.nanoTime();
                }
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
            for (InstallRequest r : spool.pending(installs::ran)) {
                if (installs.request(r)) {
                    spool.consumed(r.id());
                }
            }
        }
        installs.tick();
        dhcp.ensureRunning();
        daemons.ensureRunning();
        if (config.manageFirewall() && ticks % 5 == 0) {
            firewall.ensure();
        }
        status.publish(statusJson());
    }

    /** A snapshot whose apply failed is retried every 30 s, not on every poll (no log flood, no dhcpd -t storm). */
    private boolean retryDue(ShareSnapshot s) {
        return !s.equals(failed) || System.nanoTime() - failedAt > RETRY_NANOS;
    }

    /** Applies a valid snapshot; false (and the previous state kept where it matters) on failure. */
    public boolean apply(ShareSnapshot s) {
        Ipv4Cidr priv = s.config().privateAddress();
        String profile = s.config().installProfile();
        for (String t : List.of("profiles/" + profile + "/pxelinux.vm", "profiles/" + profile + "/kickstart.vm")) {
            if (!templates.exists(t)) {
                profileHealth = "failed: install-profile '" + profile + "' has no template " + t + " (shipped or under " + config.templatesDir() + ")";
                LOG.error("headnode.conf: install-profile: {}; the last good configuration stays in force", profileHealth);
                return false;
            }
        }
        profileHealth = "ok";
        if (config.manageNetwork()) {
            try {
                network.apply(s.config());
                networkHealth = "ok";
            } catch (RuntimeException e) {
                networkHealth = "failed: " + e.getMessage();
                LOG.error("network setup failed: {}", e.getMessage());
                return false;
            }
        } else {
            networkHealth = "not managed";
        }
        Map<MacAddress, String> fixed;
        try {
            Set<String> reserved = new HashSet<>();
            reserved.add(priv.ip());
            s.config().bmcAddress().ifPresent(b -> reserved.add(b.ip()));
            List<MacAddress> macs = new ArrayList<>(s.machines().machines().size());
            for (Machine m : s.machines().machines()) {
                macs.add(m.mac());
            }
            fixed = addresses.assign(macs, priv, reserved);
        } catch (IOException e) {
            dhcpHealth = "failed: cannot persist addresses: " + e.getMessage();
            LOG.error("cannot persist fixed addresses: {}", e.toString());
            return false;
        }
        List<DhcpHost> hosts = new ArrayList<>(fixed.size());
        fixed.forEach((mac, a) -> hosts.add(new DhcpHost(mac, a)));
        DhcpBackend.ApplyResult r = dhcp.apply(new DhcpPlan(config.privateInterface(), priv, "pxelinux.0", hosts));
        if (!r.ok()) {
            dhcpHealth = "failed: " + r.error();
            return false;
        }
        dhcpHealth = "ok";
        boolean complete = true;
        try {
            List<String> problems = tftpTree.build();
            tftpTreeHealth = problems.isEmpty() ? "complete" : "incomplete: " + String.join("; ", problems);
        } catch (IOException e) {
            tftpTreeHealth = "failed: " + e;
            LOG.error("tftpboot tree: {}", e.toString());
            complete = false;
        }
        try {
            daemons.configure(priv.ip());
            daemonsError = "";
        } catch (IOException e) {
            daemonsError = "failed: cannot configure tftpd/radvd: " + e.getMessage();
            LOG.error("tftpd/radvd: {}", e.toString());
            complete = false;
        }
        installs.update(s, fixed);
        bindHttp(priv.ip());
        LOG.info("applied share: VLAN {}, {} machines, private address {}{}", s.config().vlan(), s.machines().machines().size(), priv,
                complete ? "" : " (incomplete: retried)");
        return complete;
    }

    private void bindHttp(String ip) {
        String want = ip + ":" + config.httpPort();
        if (want.equals(httpBound) && http != null) {
            return;
        }
        if (http != null) {
            http.close();
            http = null;
        }
        try {
            http = new HttpServer(new InetSocketAddress(ip, config.httpPort()), config.httpThreads(), config.httpRequestTimeout(),
                    new AgentRoutes(new StaticFiles(config.tftpRoot()), installs));
            httpBound = want;
            httpHealth = "listening on " + want;
        } catch (IOException e) {
            httpBound = "";
            httpHealth = "down: cannot listen on " + want + ": " + e.getMessage();
            LOG.error("HTTP server: {}", httpHealth);
        }
    }

    /** The status object (host view): ready, share, machines, services. */
    public synchronized ObjectNode statusJson() {
        ObjectNode o = JSON.createObjectNode();
        Map<String, String> services = new LinkedHashMap<>();
        services.put("network", networkHealth);
        services.put("install-profile", profileHealth);
        services.put("dhcpd", applied == null ? "waiting for a valid share" : dhcpHealth.equals("ok") ? dhcp.health() : dhcpHealth);
        services.put("tftpboot", tftpTreeHealth);
        services.put("tftpd", daemonsError.isEmpty() ? daemons.tftpHealth() : daemonsError);
        services.put("radvd", daemonsError.isEmpty() ? daemons.radvdHealth() : daemonsError);
        services.put("http", httpHealth);
        services.put("firewall", config.manageFirewall() ? firewall.health() : "not managed");
        boolean healthy = services.values().stream().allMatch(v -> v.equals("ok") || v.equals("running") || v.equals("complete")
                || v.startsWith("listening") || v.equals("in force") || v.equals("not managed"));
        o.put("ready", applied != null && healthy);
        o.put("share", reading.statusWord());
        if (applied != null) {
            o.put("vlan", applied.config().vlan().id());
        } else {
            o.putNull("vlan");
        }
        ArrayNode machines = o.putArray("machines");
        for (InstallManager.MachineStatus m : installs.machines()) {
            ObjectNode mo = machines.addObject();
            mo.put("mac", m.mac());
            mo.put("state", m.state());
            mo.put("address", m.address());
            mo.put("since", m.since() == null ? null : m.since().toString());
            mo.put("detail", m.detail());
        }
        ObjectNode so = o.putObject("services");
        services.forEach(so::put);
        return o;
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
        if (http != null) {
            http.close();
        }
        dhcp.stop();
        daemons.stop();
        status.close();
    }
}
