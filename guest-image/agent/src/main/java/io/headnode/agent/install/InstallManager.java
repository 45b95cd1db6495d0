package io.headnode.agent.install;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.power.BootDevice;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerService;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The install state machine. Decides "install or local boot" from its own persisted state: a per-MAC config
 * exists exactly while an install is active (requested or installing), and disappears on the callback, at the
 * deadline, after the attempt limit, or when the node leaves machines.txt. Each request id runs once, ever.
 * All methods are synchronized: the HTTP threads and the reconcile loop share it.
 */
public final class InstallManager {
    private static final Logger LOG = LoggerFactory.getLogger(InstallManager.class);

    /** An HTTP-facing answer: status code and body text. */
    public record Answer(int status, String body) {
    }

    /** A listed machine's state for the status report. */
    public record MachineStatus(String mac, String state, String address, Instant since, String detail) {
    }

    private final AgentConfig agentConfig;
    private final PowerService power;
    private final Templates templates;
    private final PxeConfigs pxe;
    private final InstallStore store;
    private final Clock clock;
    private final Executor powerExecutor;
    private final Set<MacAddress> powerInFlight = new HashSet<>();
    private InstallStore.Data data;
    private ShareSnapshot snapshot;
    private Map<MacAddress, String> addresses = Map.of();

    public InstallManager(AgentConfig agentConfig, PowerService power, Templates templates, PxeConfigs pxe, InstallStore store,
                          Clock clock, Executor powerExecutor) {
        this.agentConfig = Objects.requireNonNull(agentConfig, "agentConfig is null");
        this.power = Objects.requireNonNull(power, "power is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
        this.pxe = Objects.requireNonNull(pxe, "pxe is null");
        this.store = Objects.requireNonNull(store, "store is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.powerExecutor = Objects.requireNonNull(powerExecutor, "powerExecutor is null");
        try {
            this.data = store.load();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the install state: " + e.getMessage(), e);
        }
    }

    /** Takes in a newly applied share snapshot and the fixed addresses assigned to its machines. */
    public synchronized void update(ShareSnapshot s, Map<MacAddress, String> fixedAddresses) {
        this.snapshot = Objects.requireNonNull(s, "snapshot is null");
        this.addresses = Map.copyOf(fixedAddresses);
        Instant now = clock.instant();
        boolean changed = false;
        for (NodeInstall n : List.copyOf(data.nodes().values())) {
            MacAddress mac = MacAddress.parse(n.mac());
            if (n.active() && s.machines().find(mac).isEmpty()) {
                data.nodes().put(n.mac(), n.with(InstallState.FAILED, now, "removed from machines.txt during the install"));
                changed = true;
            }
        }
        if (changed) {
            save();
        }
        reconcileConfigs();
    }

    /**
     * Runs a request once: false if its id already ran (or the share was never valid, so it must wait).
     * Unknown MACs are logged and skipped.
     */
    public synchronized boolean request(InstallRequest r) {
        if (data.doneRequests().contains(r.id())) {
            return false;
        }
        if (snapshot == null) {
            LOG.info("install request {} waits for a valid share", r.id());
            return false;
        }
        List<Machine> targets = new ArrayList<>();
        if (r.all()) {
            targets.addAll(snapshot.machines().machines());
        }
        for (MacAddress mac : r.macs()) {
            snapshot.machines().find(mac).ifPresentOrElse(targets::add,
                    () -> LOG.warn("install request {}: {} is not in machines.txt; skipped", r.id(), mac));
        }
        Instant now = clock.instant();
        data.doneRequests().add(r.id());
        for (Machine m : targets) {
            data.nodes().put(m.mac().value(), new NodeInstall(m.mac().value(), InstallState.REQUESTED, r.id(), Tokens.newToken(),
                    now, now, 0, true, "install requested; power cycle pending"));
        }
        if (!save()) {
            data.doneRequests().remove(r.id());
            targets.forEach(m -> data.nodes().remove(m.mac().value()));
            return false;
        }
        LOG.info("install request {}: {} machine(s)", r.id(), targets.size());
        reconcileConfigs();
        targets.forEach(m -> submitPower(m));
        return true;
    }

    public synchronized boolean ran(String requestId) {
        return data.doneRequests().contains(requestId);
    }

    /** Periodic: deadlines, pending power cycles (also those interrupted by a restart), configs on disk. */
    public synchronized void tick() {
        if (snapshot == null) {
            return;
        }
        Instant now = clock.instant();
        boolean changed = false;
        for (NodeInstall n : List.copyOf(data.nodes().values())) {
            if (n.active() && now.isAfter(n.requestedAt().plus(snapshot.config().installDeadline()))) {
                try (var c = MDC.putCloseable("mac", n.mac())) {
                    LOG.warn("install of {} passed its deadline of {} min without a callback; it boots its disk again",
                            n.mac(), snapshot.config().installDeadline().toMinutes());
                }
                data.nodes().put(n.mac(), n.with(InstallState.FAILED, now, "deadline passed without the installer's callback"));
                changed = true;
            } else if (n.active() && n.powerPending()) {
                snapshot.machines().find(MacAddress.parse(n.mac())).ifPresent(this::submitPower);
            }
        }
        if (changed) {
            save();
        }
        reconcileConfigs();
    }

    private void submitPower(Machine m) {
        if (!powerInFlight.add(m.mac())) {
            return;
        }
        String requestId = data.nodes().get(m.mac().value()).requestId();
        powerExecutor.execute(() -> {
            PowerOutcome outcome;
            try (var c = MDC.putCloseable("mac", m.mac().value())) {
                PowerOutcome boot = power.bootDevice(m, BootDevice.PXE, true);
                if (!boot.succeeded()) {
                    LOG.info("boot device PXE not set for {} ({} {}); relying on the boot order", m.mac(), boot.kind(), boot.detail());
                }
                outcome = power.cycle(m);
            } catch (RuntimeException e) {
                outcome = new PowerOutcome(PowerOutcome.Kind.UNREACHABLE, io.headnode.power.PowerState.UNKNOWN, e.toString());
            }
            powerDone(m.mac(), requestId, outcome);
        });
    }

    private synchronized void powerDone(MacAddress mac, String requestId, PowerOutcome outcome) {
        powerInFlight.remove(mac);
        NodeInstall n = data.nodes().get(mac.value());
        if (n == null || !n.active() || !requestId.equals(n.requestId())) {
            return;
        }
        Instant now = clock.instant();
        try (var c = MDC.putCloseable("mac", mac.value())) {
            if (outcome.succeeded()) {
                LOG.info("{} power-cycled into the installer ({})", mac, outcome.detail());
                data.nodes().put(mac.value(), n.withPower(false, InstallState.INSTALLING, now, "power-cycled: " + outcome.detail()));
            } else {
                LOG.error("power cycle of {} failed: {} {}; it installs at its next network boot", mac, outcome.kind(), outcome.detail());
                data.nodes().put(mac.value(), n.withPower(false, n.state(), now,
                        "power cycle failed (" + outcome.kind() + ": " + outcome.detail() + "); installs at its next network boot"));
            }
        }
        save();
    }

    /** The kickstart for {@code mac}, only for its own fixed address and only while its install is active. */
    public synchronized Answer kickstart(MacAddress mac, String source) {
        NodeInstall n = data.nodes().get(mac.value());
        String address = addresses.get(mac);
        if (address == null || !address.equals(source)) {
            return new Answer(403, "forbidden\n");
        }
        if (n == null || !n.active()) {
            return new Answer(404, "no install in progress\n");
        }
        Instant now = clock.instant();
        int boots = n.boots() + 1;
        if (boots > snapshot.config().installAttempts()) {
            try (var c = MDC.putCloseable("mac", mac.value())) {
                LOG.warn("install of {} used up its {} attempts; it boots its disk again", mac, snapshot.config().installAttempts());
            }
            data.nodes().put(mac.value(), n.withBoots(boots).with(InstallState.FAILED, now, "attempt limit reached without the installer's callback"));
            save();
            reconcileConfigs();
            return new Answer(410, "install attempts used up\n");
        }
        data.nodes().put(mac.value(), n.withBoots(boots).with(InstallState.INSTALLING, now, "installer booted (attempt " + boots + ")"));
        save();
        return new Answer(200, templates.render("profiles/" + snapshot.config().installProfile() + "/kickstart.vm", Map.of(
                "mac", mac, "address", address, "server", serverIp(), "httpPort", agentConfig.httpPort(),
                "vlan", snapshot.config().vlan(), "token", n.token(), "profile", snapshot.config().installProfile(),
                "callbackUrl", "http://" + serverIp() + ":" + agentConfig.httpPort() + "/boot-default/" + mac.pxelinuxConfigName())));
    }

    /**
     * The installer's "done" callback. Accepted once: from the node's own fixed address, with the install's
     * token, while the install is active. Anything else changes nothing.
     */
    public synchronized Answer callback(MacAddress mac, String source, String token) {
        String address = addresses.get(mac);
        if (address == null || !address.equals(source)) {
            LOG.warn("install callback for {} from {} refused: not the node's address", mac, source);
            return new Answer(403, "forbidden\n");
        }
        NodeInstall n = data.nodes().get(mac.value());
        if (n == null || !n.active()) {
            LOG.warn("install callback for {} refused: no install in progress (replay?)", mac);
            return new Answer(409, "no install in progress\n");
        }
        if (!Tokens.matches(n.token(), token)) {
            LOG.warn("install callback for {} refused: wrong token", mac);
            return new Answer(403, "forbidden\n");
        }
        Instant now = clock.instant();
        data.nodes().put(mac.value(), n.with(InstallState.INSTALLED, now, "installer reported success"));
        if (!save()) {
            data.nodes().put(mac.value(), n);
            return new Answer(503, "cannot record the callback\n");
        }
        try (var c = MDC.putCloseable("mac", mac.value())) {
            LOG.info("{} installed; its next boot goes to the local disk", mac);
        }
        reconcileConfigs();
        return new Answer(200, "ok\n");
    }

    public synchronized List<MachineStatus> machines() {
        if (snapshot == null) {
            return List.of();
        }
        List<MachineStatus> out = new ArrayList<>(snapshot.machines().machines().size());
        for (Machine m : snapshot.machines().machines()) {
            NodeInstall n = data.nodes().get(m.mac().value());
            out.add(n == null
                    ? new MachineStatus(m.mac().value(), InstallState.KNOWN.word(), addresses.get(m.mac()), null, "")
                    : new MachineStatus(m.mac().value(), n.state().word(), addresses.get(m.mac()), n.changedAt(), n.detail()));
        }
        return out;
    }

    public synchronized Map<String, NodeInstall> nodes() {
        return new HashMap<>(data.nodes());
    }

    private String serverIp() {
        return snapshot.config().privateAddress().ip();
    }

    /** Makes pxelinux.cfg match the state: configs for active installs, none (of ours) for the rest. */
    private void reconcileConfigs() {
        if (snapshot == null) {
            return;
        }
        Set<MacAddress> active = new HashSet<>();
        try {
            for (NodeInstall n : data.nodes().values()) {
                if (!n.active()) {
                    continue;
                }
                MacAddress mac = MacAddress.parse(n.mac());
                active.add(mac);
                String profile = snapshot.config().installProfile();
                pxe.write(mac, templates.render("profiles/" + profile + "/pxelinux.vm", Map.of(
                        "marker", PxeConfigs.MARKER, "mac", mac, "server", serverIp(), "httpPort", agentConfig.httpPort(),
                        "request", n.requestId(), "profile", profile)));
            }
            int removed = pxe.removeAllExcept(active);
            if (removed > 0) {
                LOG.info("removed {} per-MAC install config(s)", removed);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot bring pxelinux.cfg in line with the install state: {}", e.toString());
        }
    }

    private boolean save() {
        try {
            store.save(data);
            return true;
        } catch (IOException e) {
            LOG.error("cannot save the install state: {}", e.toString());
            return false;
        }
    }
}
