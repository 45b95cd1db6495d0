package io.headnode.power;

import io.headnode.contract.Machine;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What on, off, cycle, reset, status and boot device mean on any BMC, with retries: every attempt first
 * re-reads the power state, so a retry never repeats what already happened; a cycle or reset that may have
 * been applied is not sent twice. After a command the state is polled until the node reaches what was asked
 * (or {@code settle} runs out, which is reported as TIMED_OUT, never as success).
 */
public final class PowerOperations {
    private static final Logger LOG = LoggerFactory.getLogger(PowerOperations.class);
    private final PowerSettings settings;
    private final BmcPacer pacer;
    private final Ticker ticker;
    private final DoubleSupplier random;

    public PowerOperations(PowerSettings settings, BmcPacer pacer, Ticker ticker, DoubleSupplier random) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.pacer = Objects.requireNonNull(pacer, "pacer is null");
        this.ticker = Objects.requireNonNull(ticker, "ticker is null");
        this.random = Objects.requireNonNull(random, "random is null");
    }

    private interface Call<T> {
        T run() throws BmcException;
    }

    private <T> T call(Machine m, Call<T> c) throws BmcException, InterruptedException {
        return pacer.paced(m.bmc(), c::run);
    }

    public PowerOutcome status(Machine m, BmcClient c) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                PowerState s = call(m, c::state);
                return new PowerOutcome(PowerOutcome.Kind.DONE, s, "power is " + name(s));
            } catch (BmcException e) {
                if (!retry(e, attempt)) {
                    return failed(e, PowerState.UNKNOWN, attempt);
                }
            }
        }
    }

    public PowerOutcome bootDevice(Machine m, BmcClient c, BootDevice device, boolean once) throws InterruptedException {
        String what = "next boot from " + name(device) + (once ? " (once)" : " (persistent)");
        for (int attempt = 1; ; attempt++) {
            try {
                call(m, () -> {
                    c.bootDevice(device, once);
                    return null;
                });
                return new PowerOutcome(PowerOutcome.Kind.DONE, PowerState.UNKNOWN, what);
            } catch (BmcException e) {
                if (!retry(e, attempt)) {
                    return failed(e, PowerState.UNKNOWN, attempt);
                }
            }
        }
    }

    public PowerOutcome power(Machine m, BmcClient c, PowerAction action) throws InterruptedException {
        BmcException ambiguous = null;
        PowerState known = PowerState.UNKNOWN;
        PowerAction sent = null;
        for (int attempt = 1; sent == null; attempt++) {
            try {
                PowerState before = call(m, c::state);
                known = before;
                boolean idempotent = action == PowerAction.ON || action == PowerAction.OFF;
                if (idempotent && before == action.expected()) {
                    return ambiguous != null
                            ? new PowerOutcome(PowerOutcome.Kind.DONE, before, "power is " + name(before) + " (confirmed on re-read after: " + ambiguous.getMessage() + ")")
                            : new PowerOutcome(PowerOutcome.Kind.ALREADY, before, "power was already " + name(before));
                }
                if (!idempotent && ambiguous != null && ambiguous.maybeApplied()) {
                    return new PowerOutcome(ambiguous.kind(), before, verb(action) + " may have been applied (" + ambiguous.getMessage()
                            + "); not sent again; power is now " + name(before));
                }
                if (action == PowerAction.RESET && before == PowerState.OFF) {
                    return new PowerOutcome(PowerOutcome.Kind.REFUSED, before, "node is off: reset needs a running node (use on or cycle)");
                }
                PowerAction command = action == PowerAction.CYCLE && before == PowerState.OFF ? PowerAction.ON : action;
                call(m, () -> {
                    c.power(command);
                    return null;
                });
                sent = command;
            } catch (BmcException e) {
                if (e.maybeApplied()) {
                    ambiguous = e;
                }
                if (!retry(e, attempt)) {
                    return failed(e, known, attempt);
                }
            }
        }
        return settle(m, c, action, sent);
    }

    private PowerOutcome settle(Machine m, BmcClient c, PowerAction action, PowerAction sent) throws InterruptedException {
        String did = sent == action ? verb(action) + " accepted" : verb(action) + ": node was off, power on accepted";
        long deadline = ticker.nanoTime() + settings.settle().toNanos();
        PowerState last = PowerState.UNKNOWN;
        String lastError = null;
        while (true) {
            try {
                last = call(m, c::state);
                if (last == PowerState.UNKNOWN) {
                    return new PowerOutcome(PowerOutcome.Kind.DONE, last, did + "; this BMC does not report the power state");
                }
                if (last == action.expected()) {
                    return new PowerOutcome(PowerOutcome.Kind.DONE, last, did + "; power is " + name(last));
                }
            } catch (BmcException e) {
                lastError = e.getMessage();
            }
            if (ticker.nanoTime() >= deadline) {
                return new PowerOutcome(PowerOutcome.Kind.TIMED_OUT, last, did + ", but power is " + name(last) + " after "
                        + seconds(settings.settle()) + (lastError == null ? "" : " (last read: " + lastError + ")"));
            }
            ticker.sleep(settings.pollInterval());
        }
    }

    private boolean retry(BmcException e, int attempt) throws InterruptedException {
        if (!e.retryable() || attempt >= settings.attempts()) {
            return false;
        }
        long base = settings.backoff().toNanos() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, settings.maxBackoff().toNanos());
        Duration delay = Duration.ofNanos((long) (capped * (0.5 + random.getAsDouble())));
        LOG.warn("attempt {} of {} failed ({}: {}); retrying in {} ms after re-reading the power state",
                attempt, settings.attempts(), e.kind(), e.getMessage(), delay.toMillis());
        ticker.sleep(delay);
        return true;
    }

    private static PowerOutcome failed(BmcException e, PowerState known, int attempts) {
        return new PowerOutcome(e.kind(), known, e.getMessage() + (attempts > 1 ? " (after " + attempts + " attempts)" : ""));
    }

    static String name(PowerState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    static String name(BootDevice d) {
        return d.name().toLowerCase(Locale.ROOT);
    }

    private static String verb(PowerAction a) {
        return "power " + a.name().toLowerCase(Locale.ROOT);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
