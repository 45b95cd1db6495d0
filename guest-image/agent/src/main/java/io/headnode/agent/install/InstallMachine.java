package io.headnode.agent.install;

import io.headnode.agent.install.InstallEffect.Level;
import io.headnode.agent.install.InstallEffect.Notice;
import io.headnode.agent.install.InstallEffect.PowerCycle;
import io.headnode.common.time.WallClockDue;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.power.PowerOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The install state machine, pure: each input (a request, a new share, a tick, a power result, a kickstart fetch,
 * a callback) and the current {@link InstallBook} give a new book, the effects to carry out and, for the HTTP
 * inputs, a decision. No I/O, no clock, no locks: the caller passes the time and keeps the state.
 *
 * <p>A per-MAC config exists exactly while an install is active (requested or installing); an install ends on the
 * callback (installed), at the deadline, after the attempt limit, or when the node leaves machines.txt (failed).
 * The kickstart and the callback are answered only to the node's own fixed address; the callback only with the
 * install's token, and only once.
 */
public final class InstallMachine {
    /** Why a kickstart or callback is refused. */
    public enum Refusal { NOT_THE_NODES_ADDRESS, NO_INSTALL_IN_PROGRESS, ATTEMPTS_USED_UP, WRONG_TOKEN }

    /** The result of one input. */
    public record Transition<D>(InstallBook book, List<InstallEffect> effects, D decision) {
        public Transition {
            Objects.requireNonNull(book, "book is null");
            effects = List.copyOf(effects);
        }

        public boolean changed(InstallBook before) {
            return book != before && !book.equals(before);
        }
    }

    /** What a request did: whether it ran (false: its id ran before) and which machines it targets. */
    public record RequestOutcome(boolean ran, List<MacAddress> targets) {
        public RequestOutcome {
            targets = List.copyOf(targets);
        }
    }

    public sealed interface Kickstart {
        /** Serve the kickstart for {@code node} (its new record), fetched from {@code address}; {@code attempt} counts from 1. */
        record Serve(NodeInstall node, String address, int attempt) implements Kickstart {
        }

        record Refused(Refusal why) implements Kickstart {
        }
    }

    /** The deployed OS's first-boot report (image installs): accepted once, with the report token, while installed. */
    public sealed interface Report {
        record Accepted(NodeInstall activeNode) implements Report {
        }

        record Refused(Refusal why) implements Report {
        }
    }

    public sealed interface Callback {
        /** Accepted: {@code previous} was the active record, {@code installed} replaces it. */
        record Accepted(NodeInstall previous, NodeInstall installed) implements Callback {
        }

        record Refused(Refusal why) implements Callback {
        }
    }

    /**
     * The waits before the power cycles retried after a BMC that timed out or was unreachable; once they are used up
     * and the last try failed too, the install ends {@code failed}. A refused cycle is not retried on a timer (a BMC
     * may lock an account out after repeated bad logins): it waits for new power settings.
     */
    public static final List<Duration> POWER_RETRY_DELAYS = List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120));
    private static final Duration LONGEST_POWER_RETRY_DELAY = Duration.ofSeconds(120);

    private final Supplier<String> tokens;

    /**
     * @param tokens random one-time install tokens ({@link Tokens#newToken} in production), used only while the share
     *               has no install.key; with one, each token is derived from it ({@link Tokens#derive})
     */
    public InstallMachine(Supplier<String> tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens is null");
    }

    /**
     * The token of {@code purpose} for the install of {@code mac} by request {@code requestId}: derived from the share's
     * install key, so any head node of the VLAN computes the same one; random when the share has none.
     */
    private String token(InstallSite site, MacAddress mac, String requestId, Tokens.Purpose purpose) {
        return site.snapshot().installKey().map(k -> Tokens.derive(k, purpose, mac, requestId)).orElseGet(tokens);
    }

    /** Runs a request once: every listed target becomes requested with its token and a pending power cycle. */
    public Transition<RequestOutcome> request(InstallBook book, InstallSite site, InstallRequest r, Instant now) {
        return request(book, site, r, Optional.empty(), now);
    }

    /**
     * Runs a request once. A request that names an image is an image install: each target also gets {@code image}
     * (the catalog entry looked up by the caller, pinned in the node's record) and a first-boot report token. An image
     * missing from the catalog ({@code image} empty) fails the targets at once: no power cycle, no per-MAC config.
     */
    public Transition<RequestOutcome> request(InstallBook book, InstallSite site, InstallRequest r, Optional<ImageDeploy> image, Instant now) {
        if (book.ran(r.id())) {
            return new Transition<>(book, List.of(), new RequestOutcome(false, List.of()));
        }
        List<InstallEffect> effects = new ArrayList<>();
        Map<MacAddress, Machine> targets = new LinkedHashMap<>();
        if (r.all()) {
            site.snapshot().machines().machines().forEach(m -> targets.put(m.mac(), m));
        }
        for (MacAddress mac : r.macs()) {
            site.machine(mac).ifPresentOrElse(m -> targets.put(mac, m),
                    () -> effects.add(new Notice(Level.WARN, mac.value(), "install request " + r.id() + ": " + mac + " is not in machines.txt; skipped")));
        }
        Map<String, NodeInstall> nodes = new TreeMap<>(book.nodes());
        if (r.image().isPresent() && image.isEmpty()) {
            String name = r.image().get().value();
            for (Machine m : targets.values()) {
                nodes.put(m.mac().value(), new NodeInstall(m.mac().value(), InstallState.FAILED, r.id(), null, now, now, 0, false,
                        "image " + name + " is not in the image catalog"));
            }
            effects.add(new Notice(Level.ERROR, null, "install request " + r.id() + ": image " + name + " is not in the image catalog; "
                    + targets.size() + " machine(s) failed"));
            return new Transition<>(new InstallBook(book.withDone(r.id()).doneRequests(), nodes), effects,
                    new RequestOutcome(true, List.copyOf(targets.keySet())));
        }
        for (Machine m : targets.values()) {
            String token = token(site, m.mac(), r.id(), Tokens.Purpose.CALLBACK);
            nodes.put(m.mac().value(), r.image().isEmpty()
                    ? new NodeInstall(m.mac().value(), InstallState.REQUESTED, r.id(), token, now, now, 0, true,
                            "install requested; power cycle pending")
                    : new NodeInstall(m.mac().value(), InstallState.REQUESTED, r.id(), token, now, now, 0, true,
                            "image " + image.get().name() + " requested; power cycle pending", image.get(),
                            token(site, m.mac(), r.id(), Tokens.Purpose.REPORT)));
        }
        effects.add(new Notice(Level.INFO, null, "install request " + r.id() + ": " + targets.size() + " machine(s)"));
        targets.values().forEach(m -> effects.add(new PowerCycle(m, r.id())));
        InstallBook next = new InstallBook(book.withDone(r.id()).doneRequests(), nodes);
        return new Transition<>(next, effects, new RequestOutcome(true, List.copyOf(targets.keySet())));
    }

    /** A new share is in force: active installs of nodes no longer listed end. */
    public Transition<Void> siteChanged(InstallBook book, InstallSite site, Instant now) {
        Map<String, NodeInstall> nodes = new TreeMap<>(book.nodes());
        List<InstallEffect> effects = new ArrayList<>();
        for (NodeInstall n : book.nodes().values()) {
            if (n.active() && site.machine(MacAddress.parse(n.mac())).isEmpty()) {
                nodes.put(n.mac(), n.with(InstallState.FAILED, now, "removed from machines.txt during the install"));
                effects.add(new Notice(Level.WARN, n.mac(), "install of " + n.mac() + " ended: the node left machines.txt"));
            }
        }
        return new Transition<>(new InstallBook(book.doneRequests(), nodes), effects, null);
    }

    /**
     * Periodic: installs past their deadline end; pending power cycles (also those a restart interrupted) are asked
     * for again, and so are failed ones whose retry is due ({@link #POWER_RETRY_DELAYS}).
     */
    public Transition<Void> tick(InstallBook book, InstallSite site, Instant now) {
        Map<String, NodeInstall> nodes = new TreeMap<>(book.nodes());
        List<InstallEffect> effects = new ArrayList<>();
        for (NodeInstall n : book.nodes().values()) {
            if (n.awaitingReport()) {
                if (now.isAfter(n.changedAt().plus(site.deadline()))) {
                    nodes.put(n.mac(), n.with(InstallState.FAILED, now, "no first-boot report from the deployed OS before the deadline"));
                    effects.add(new Notice(Level.WARN, n.mac(), "image install of " + n.mac() + ": no first-boot report within "
                            + site.deadline().toMinutes() + " min of the deploy"));
                }
                continue;
            }
            if (!n.active()) {
                continue;
            }
            if (now.isAfter(n.requestedAt().plus(site.deadline()))) {
                nodes.put(n.mac(), n.with(InstallState.FAILED, now, "deadline passed without the installer's callback"));
                effects.add(new Notice(Level.WARN, n.mac(), "install of " + n.mac() + " passed its deadline of " + site.deadline().toMinutes()
                        + " min without a callback; it boots its disk again"));
            } else if (n.powerPending()) {
                site.machine(MacAddress.parse(n.mac())).ifPresent(m -> effects.add(new PowerCycle(m, n.requestId())));
            } else if (n.state() == InstallState.REQUESTED && n.powerRetryAt() != null && powerRetryDue(n.powerRetryAt(), now)) {
                // (a node that fetched its kickstart meanwhile is installing: a cycle that timed out may have happened after all)
                site.machine(MacAddress.parse(n.mac())).ifPresent(m -> {
                    String what = "power cycle retry " + n.powerRetries() + " of " + POWER_RETRY_DELAYS.size();
                    nodes.put(n.mac(), n.withPower(true, n.state(), now, what + " pending").withPowerRetry(n.powerRetries(), null));
                    effects.add(new Notice(Level.INFO, n.mac(), what + " of " + n.mac()));
                    effects.add(new PowerCycle(m, n.requestId()));
                });
            }
        }
        return new Transition<>(new InstallBook(book.doneRequests(), nodes), effects, null);
    }

    /**
     * The power settings (credentials.conf, headnode.conf's power-driver) changed: every install whose last power cycle
     * failed (still requested, no cycle pending) asks for one again. Nothing else is retried: a cycle that failed is
     * not tried again with the same settings.
     */
    public Transition<Void> powerSettingsChanged(InstallBook book, InstallSite site, Instant now) {
        Map<String, NodeInstall> nodes = new TreeMap<>(book.nodes());
        List<InstallEffect> effects = new ArrayList<>();
        for (NodeInstall n : book.nodes().values()) {
            if (n.state() != InstallState.REQUESTED || n.powerPending()) {
                continue;
            }
            site.machine(MacAddress.parse(n.mac())).ifPresent(m -> {
                nodes.put(n.mac(), n.withPower(true, InstallState.REQUESTED, now, "power settings changed; power cycle pending").withPowerRetry(0, null));
                effects.add(new Notice(Level.INFO, n.mac(), "power settings changed: power cycle of " + n.mac() + " tried again"));
                effects.add(new PowerCycle(m, n.requestId()));
            });
        }
        return new Transition<>(new InstallBook(book.doneRequests(), nodes), effects, null);
    }

    /** A power cycle asked for by request {@code requestId} ended; a result for an install that is over or superseded changes nothing. */
    public Transition<Void> powerDone(InstallBook book, MacAddress mac, String requestId, PowerOutcome outcome, Instant now) {
        NodeInstall n = book.node(mac.value());
        if (n == null || !n.active() || !requestId.equals(n.requestId())) {
            return new Transition<>(book, List.of(), null);
        }
        if (outcome.succeeded()) {
            return new Transition<>(book.with(n.withPower(false, InstallState.INSTALLING, now, "power-cycled: " + outcome.detail()).withPowerRetry(0, null)),
                    List.of(new Notice(Level.INFO, mac.value(), mac + " power-cycled into the installer (" + outcome.detail() + ")")), null);
        }
        String failure = outcome.kind() + ": " + outcome.detail();
        // only a BMC that never took the command is retried on a timer: a TIMED_OUT cycle may have been applied (power-on
        // accepted, only its confirmation late), and cycling a node again while it boots breaks its install (seen in the
        // e2e under load: ipmitool answered late, the node was already in PXE, the retry reset it)
        boolean transientFailure = outcome.kind() == PowerOutcome.Kind.UNREACHABLE;
        if (transientFailure && n.state() == InstallState.REQUESTED) {
            int retries = n.powerRetries();
            if (retries >= POWER_RETRY_DELAYS.size()) {
                String why = "power cycle failed " + (retries + 1) + " times (" + failure + ")";
                return new Transition<>(book.with(n.withPower(false, InstallState.FAILED, now, why)),
                        List.of(new Notice(Level.ERROR, mac.value(), "install of " + mac + " ended: " + why)), null);
            }
            Duration wait = POWER_RETRY_DELAYS.get(retries);
            String why = "power cycle failed (" + failure + "); retry " + (retries + 1) + " of " + POWER_RETRY_DELAYS.size() + " in "
                    + wait.toSeconds() + " s; installs at its next network boot";
            return new Transition<>(book.with(n.withPower(false, n.state(), now, why).withPowerRetry(retries + 1, now.plus(wait))),
                    List.of(new Notice(Level.ERROR, mac.value(), "power cycle of " + mac + " failed: " + failure + "; retry " + (retries + 1)
                            + " of " + POWER_RETRY_DELAYS.size() + " in " + wait.toSeconds() + " s")), null);
        }
        String after = outcome.kind() == PowerOutcome.Kind.REFUSED ? "tried again when credentials.conf or headnode.conf changes; " : "";
        String why = "power cycle failed (" + failure + "); " + after + "installs at its next network boot";
        return new Transition<>(book.with(n.withPower(false, n.state(), now, why).withPowerRetry(n.powerRetries(), null)),
                List.of(new Notice(Level.ERROR, mac.value(), "power cycle of " + mac + " failed: " + outcome.kind() + " " + outcome.detail()
                        + "; " + after + "it installs at its next network boot")), null);
    }

    /** Due at its time; one further ahead than the longest wait means the wall clock went back, and counts as due. */
    private static boolean powerRetryDue(Instant at, Instant now) {
        return WallClockDue.reached(at, now, LONGEST_POWER_RETRY_DELAY);
    }

    /** A kickstart fetch ({@code GET /ks/...}) from {@code source}: counts one boot attempt of an active install. */
    public Transition<Kickstart> kickstart(InstallBook book, InstallSite site, MacAddress mac, String source, Instant now) {
        String address = site.address(mac);
        if (address == null || !address.equals(source)) {
            return new Transition<>(book, List.of(), new Kickstart.Refused(Refusal.NOT_THE_NODES_ADDRESS));
        }
        NodeInstall n = book.node(mac.value());
        if (n == null || !n.active()) {
            return new Transition<>(book, List.of(), new Kickstart.Refused(Refusal.NO_INSTALL_IN_PROGRESS));
        }
        int boots = n.boots() + 1;
        if (boots > site.attempts()) {
            return new Transition<>(book.with(n.withBoots(boots).with(InstallState.FAILED, now, "attempt limit reached without the installer's callback")),
                    List.of(new Notice(Level.WARN, mac.value(), "install of " + mac + " used up its " + site.attempts() + " attempts; it boots its disk again")),
                    new Kickstart.Refused(Refusal.ATTEMPTS_USED_UP));
        }
        NodeInstall next = n.withBoots(boots).with(InstallState.INSTALLING, now, "installer booted (attempt " + boots + ")");
        return new Transition<>(book.with(next), List.of(), new Kickstart.Serve(next, address, boots));
    }

    /** The installer's "done" callback: accepted once, from the node's own address, with the install's token, while it is active. */
    public Transition<Callback> callback(InstallBook book, InstallSite site, MacAddress mac, String source, String token, Instant now) {
        return callback(book, site, mac, source, token, null, now);
    }

    /**
     * The callback with the installer's result: {@code failure} null for success, else its reason (the deploy ramdisk
     * says {@code checksum: ...}, {@code disk-too-small: ...}, {@code fetch: ...}): the install ends failed with that
     * reason and the per-MAC config goes, so the node's next boot is the default one.
     */
    public Transition<Callback> callback(InstallBook book, InstallSite site, MacAddress mac, String source, String token, String failure,
                                         Instant now) {
        Check c = check(book, site, mac, source, "install callback", "no install in progress (replay?)", NodeInstall::active, NodeInstall::token, token);
        if (c.refusal() != null) {
            return refused(book, new Callback.Refused(c.refusal()), mac, c.message());
        }
        NodeInstall n = c.node();
        if (failure != null) {
            NodeInstall failed = n.with(InstallState.FAILED, now, "installer reported failure: " + failure);
            return new Transition<>(book.with(failed), List.of(new Notice(Level.WARN, mac.value(), "install of " + mac + " failed: " + failure)),
                    new Callback.Accepted(n, failed));
        }
        NodeInstall installed = n.with(InstallState.INSTALLED, now, n.image() != null
                ? "image " + n.image().name() + " written and verified; waiting for the first-boot report" : "installer reported success");
        return new Transition<>(book.with(installed), List.of(), new Callback.Accepted(n, installed));
    }

    /** The deployed OS's first-boot report: from the node's own address, with the report token, once, while installed. */
    public Transition<Report> report(InstallBook book, InstallSite site, MacAddress mac, String source, String token, Instant now) {
        Check c = check(book, site, mac, source, "first-boot report", "no image install waits for one", NodeInstall::awaitingReport,
                NodeInstall::reportToken, token);
        if (c.refusal() != null) {
            return refused(book, new Report.Refused(c.refusal()), mac, c.message());
        }
        NodeInstall n = c.node();
        NodeInstall active = n.with(InstallState.ACTIVE, now, "image " + n.image().name() + " booted and reported");
        return new Transition<>(book.with(active), List.of(new Notice(Level.INFO, mac.value(), mac + " is active: image " + n.image().name() + " booted")),
                new Report.Accepted(active));
    }


    /** A node whose record waits for {@code token} from its own address, or why not (the refusal and the log line). */
    private record Check(NodeInstall node, Refusal refusal, String message) {
    }

    private static Check check(InstallBook book, InstallSite site, MacAddress mac, String source, String what, String noneWaits,
                               Predicate<NodeInstall> waits, Function<NodeInstall, String> secret, String token) {
        String address = site.address(mac);
        if (address == null || !address.equals(source)) {
            return new Check(null, Refusal.NOT_THE_NODES_ADDRESS, what + " for " + mac + " from " + source + " refused: not the node's address");
        }
        NodeInstall n = book.node(mac.value());
        if (n == null || !waits.test(n)) {
            return new Check(null, Refusal.NO_INSTALL_IN_PROGRESS, what + " for " + mac + " refused: " + noneWaits);
        }
        if (!Tokens.matches(secret.apply(n), token)) {
            return new Check(null, Refusal.WRONG_TOKEN, what + " for " + mac + " refused: wrong token");
        }
        return new Check(n, null, null);
    }

    private static <D> Transition<D> refused(InstallBook book, D decision, MacAddress mac, String message) {
        return new Transition<>(book, List.of(new Notice(Level.WARN, mac.value(), message)), decision);
    }
}
