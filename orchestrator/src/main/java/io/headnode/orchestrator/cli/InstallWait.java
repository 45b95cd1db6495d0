package io.headnode.orchestrator.cli;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.MacAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code headnode install --wait}: follows an install request on the agent's status channel until every requested
 * node is installed or failed, or the timeout. A node counts as finished by this request when it is installed or
 * failed and either was seen requested or installing since, or its state changed after the request was written (an
 * old "installed" from an earlier install does not count). Prints each node's changes as lines and the overall
 * state as a {@link ProgressLine}.
 */
final class InstallWait {
    /** How long one read of the status channel may wait; the agent publishes at least every 10 s. */
    static final Duration READ = Duration.ofSeconds(12);
    /** Pause between reads (a stopped head node has no socket, and a read then returns at once). */
    static final Duration POLL = Duration.ofSeconds(2);

    /** One bounded read of the status channel. */
    interface StatusSource {
        Optional<AgentStatus> read(Duration timeout);
    }

    /** Waits between reads (a fake clock's advance in tests). */
    interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** Each requested node's last known state (absent: the agent never listed it) and whether time ran out. */
    record Result(Map<MacAddress, Optional<MachineStatus>> nodes, boolean timedOut) {
        boolean allInstalled() {
            return !timedOut && nodes.values().stream().allMatch(m -> m.isPresent()
                    && (m.get().state() == MachineState.INSTALLED || m.get().state() == MachineState.ACTIVE));
        }
    }

    private final StatusSource source;
    private final Clock clock;
    private final Pause pause;
    private final ProgressLine progress;

    InstallWait(StatusSource source, Clock clock, Pause pause, ProgressLine progress) {
        this.source = Objects.requireNonNull(source, "source is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.pause = Objects.requireNonNull(pause, "pause is null");
        this.progress = Objects.requireNonNull(progress, "progress is null");
    }

    Result await(List<MacAddress> macs, Instant requestedAt, Duration timeout) throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        Map<MacAddress, MachineStatus> last = new LinkedHashMap<>();
        Set<MacAddress> active = new LinkedHashSet<>();
        Set<MacAddress> done = new LinkedHashSet<>();
        boolean seen = false;
        while (true) {
            Duration left = Duration.between(clock.instant(), deadline);
            Optional<AgentStatus> status = left.isNegative() || left.isZero() ? Optional.empty()
                    : source.read(left.compareTo(READ) < 0 ? left : READ);
            String at = elapsed(start);
            if (status.isPresent()) {
                seen = true;
                for (MacAddress mac : macs) {
                    Optional<MachineStatus> m = status.get().machines().stream().filter(x -> x.mac().equals(mac)).findFirst();
                    if (m.isEmpty()) {
                        continue;
                    }
                    MachineStatus before = last.put(mac, m.get());
                    if (before == null || before.state() != m.get().state() || !before.detail().equals(m.get().detail())) {
                        progress.event(at + " " + mac + "  " + m.get().state().word()
                                + (m.get().detail().isEmpty() ? "" : "  " + TextTable.cell(m.get().detail())));
                    }
                    MachineState s = m.get().state();
                    if (s == MachineState.REQUESTED || s == MachineState.INSTALLING) {
                        active.add(mac);
                        done.remove(mac);
                    } else if ((s == MachineState.INSTALLED || s == MachineState.ACTIVE || s == MachineState.FAILED)
                            && (active.contains(mac) || m.get().since() != null && m.get().since().isAfter(requestedAt))) {
                        done.add(mac);
                    }
                }
            }
            progress.status(at, seen ? summary(macs, last, done) : "waiting for the agent's status");
            if (done.size() == macs.size()) {
                progress.done();
                return result(macs, last, false);
            }
            if (!clock.instant().isBefore(deadline)) {
                progress.done();
                return result(macs, last, true);
            }
            Duration wait = Duration.between(clock.instant(), deadline);
            pause.pause(wait.compareTo(POLL) < 0 ? wait : POLL);
        }
    }

    /** "1 of 3 done: 1 installed, 1 installing, 1 not listed yet". */
    static String summary(List<MacAddress> macs, Map<MacAddress, MachineStatus> last, Set<MacAddress> done) {
        Map<MachineState, Integer> counts = new EnumMap<>(MachineState.class);
        int unlisted = 0;
        for (MacAddress mac : macs) {
            MachineStatus m = last.get(mac);
            if (m == null) {
                unlisted++;
            } else {
                counts.merge(m.state(), 1, Integer::sum);
            }
        }
        StringJoiner j = new StringJoiner(", ", done.size() + " of " + macs.size() + " done: ", "");
        counts.forEach((s, n) -> j.add(n + " " + s.word()));
        if (unlisted > 0) {
            j.add(unlisted + " not listed by the agent yet");
        }
        return j.toString();
    }

    private String elapsed(Instant start) {
        return String.format("[%4ds]", Duration.between(start, clock.instant()).toSeconds());
    }

    private static Result result(List<MacAddress> macs, Map<MacAddress, MachineStatus> last, boolean timedOut) {
        Map<MacAddress, Optional<MachineStatus>> out = new LinkedHashMap<>();
        macs.forEach(m -> out.put(m, Optional.ofNullable(last.get(m))));
        return new Result(out, timedOut);
    }
}
