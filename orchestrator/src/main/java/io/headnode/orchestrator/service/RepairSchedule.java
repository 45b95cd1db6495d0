package io.headnode.orchestrator.service;

import io.headnode.contract.Vlan;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the reconcile service does next, decided on the time it is given: VLANs named by libvirt events first
 * (coalesced: a burst of events for one VLAN is one pending pass), then failed VLANs whose retry is due (after 1 s,
 * doubling up to the period), then the periodic pass over every VLAN. Not thread-safe: the service guards it.
 */
final class RepairSchedule {
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private final Duration every;
    private final LinkedHashSet<Vlan> urgent = new LinkedHashSet<>();
    private final Map<Vlan, Retry> retries = new HashMap<>();
    private Instant nextFullPass;

    /** A failed VLAN's next retry and the backoff that led to it ({@code at} = MAX while it runs). */
    private record Retry(Instant at, Duration backoff) {
    }

    /** The next thing to do. */
    sealed interface Next permits RunVlan, RunFullPass, Wait {
    }

    record RunVlan(Vlan vlan, Trigger trigger) implements Next {
        RunVlan {
            Objects.requireNonNull(vlan, "vlan is null");
            Objects.requireNonNull(trigger, "trigger is null");
        }
    }

    record RunFullPass() implements Next {
    }

    /** Nothing is due before {@code until}, unless an event arrives. */
    record Wait(Instant until) implements Next {
    }

    RepairSchedule(Duration every, Instant firstPass) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the period must be positive: " + every);
        }
        this.every = every;
        this.nextFullPass = Objects.requireNonNull(firstPass, "firstPass is null");
    }

    /** A libvirt event concerns this VLAN; returns false when a pass of it was already pending (coalesced). */
    boolean event(Vlan vlan) {
        return urgent.add(Objects.requireNonNull(vlan, "vlan is null"));
    }

    /**
     * Events may have been missed (the subscription was re-established): a full pass is due now, or right after the
     * one that is running (it may have read a VLAN before the event). A pass that has not started yet covers it.
     */
    void fullPassNow(Instant now) {
        if (nextFullPass.isAfter(now)) {
            nextFullPass = now;
        }
    }

    /** The next pending event VLAN, if any (the periodic pass takes these between its own VLANs). */
    Optional<Vlan> takeUrgent() {
        Iterator<Vlan> it = urgent.iterator();
        if (!it.hasNext()) {
            return Optional.empty();
        }
        Vlan v = it.next();
        it.remove();
        return Optional.of(v);
    }

    Next next(Instant now) {
        Optional<Vlan> u = takeUrgent();
        if (u.isPresent()) {
            return new RunVlan(u.get(), Trigger.EVENT);
        }
        Instant wake = nextFullPass;
        for (Map.Entry<Vlan, Retry> e : retries.entrySet()) {
            Instant at = e.getValue().at();
            if (!at.isAfter(now)) {
                e.setValue(new Retry(Instant.MAX, e.getValue().backoff()));
                return new RunVlan(e.getKey(), Trigger.RETRY);
            }
            wake = at.isBefore(wake) ? at : wake;
        }
        if (!now.isBefore(nextFullPass)) {
            nextFullPass = Instant.MAX;   // running; fullPassNow during it asks for another
            return new RunFullPass();
        }
        return new Wait(wake);
    }

    /** A VLAN's pass ended: a failure is retried with backoff, a success clears it. */
    void vlanDone(Vlan vlan, boolean failed, Instant now) {
        if (!failed) {
            retries.remove(vlan);
            return;
        }
        Retry prev = retries.get(vlan);
        Duration backoff = prev == null ? FIRST_RETRY : prev.backoff().multipliedBy(2);
        backoff = backoff.compareTo(every) > 0 ? every : backoff;
        retries.put(vlan, new Retry(now.plus(backoff), backoff));
    }

    /** The periodic pass ended: the next one is a period from now (or at once if a catch-up was asked for meanwhile). */
    void fullPassDone(Instant now) {
        if (nextFullPass.equals(Instant.MAX)) {
            nextFullPass = now.plus(every);
        }
    }

    /** When the next retry of this VLAN is due, if one is planned (for tests and status). */
    Optional<Instant> retryAt(Vlan vlan) {
        return Optional.ofNullable(retries.get(vlan)).map(Retry::at);
    }
}
