package io.headnode.agent.install;

import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.power.BootDevice;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Carries out {@link InstallEffect.PowerCycle}: PXE as the next boot device (best effort), then a power cycle,
 * through {@link PowerService} on its own executor (BMC calls take seconds). At most one cycle per machine is in
 * flight; asking again meanwhile does nothing, and an ask that arrives after a cycle ended is checked against the
 * state first ({@code wanted}): a late ask must not cycle a node whose cycle just failed or succeeded. The outcome goes
 * to the given callback.
 */
public final class PowerDispatch {
    /** How a power cycle ended. */
    public interface Done {
        void powerDone(MacAddress mac, String requestId, PowerOutcome outcome);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PowerDispatch.class);
    private final PowerService power;
    private final Executor executor;
    private final Set<MacAddress> inFlight = ConcurrentHashMap.newKeySet();

    public PowerDispatch(PowerService power, Executor executor) {
        this.power = Objects.requireNonNull(power, "power is null");
        this.executor = Objects.requireNonNull(executor, "executor is null");
    }

    /**
     * Starts a cycle of {@code machine} for request {@code requestId} unless one is in flight or {@code wanted} says
     * the state no longer asks for one. {@code wanted} is read after this machine is marked in flight, and a cycle's
     * outcome is in the state before its mark is cleared: so no ask, however late, starts a cycle the state has settled.
     */
    public void cycle(Machine machine, String requestId, BooleanSupplier wanted, Done done) {
        if (!inFlight.add(machine.mac())) {
            return;
        }
        if (!wanted.getAsBoolean()) {
            inFlight.remove(machine.mac());
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    done.powerDone(machine.mac(), requestId, run(machine));
                } finally {
                    inFlight.remove(machine.mac());   // after the result is in the state: a tick meanwhile does not cycle again
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(machine.mac());
            LOG.warn("power cycle of {} not started: the agent is stopping", machine.mac());
        }
    }

    private PowerOutcome run(Machine machine) {
        try (var c = MDC.putCloseable("mac", machine.mac().value())) {
            PowerOutcome boot = power.bootDevice(machine, BootDevice.PXE, true);
            if (!boot.succeeded()) {
                LOG.info("boot device PXE not set for {} ({} {}); relying on the boot order", machine.mac(), boot.kind(), boot.detail());
            }
            return power.cycle(machine);
        } catch (RuntimeException e) {
            return new PowerOutcome(PowerOutcome.Kind.UNREACHABLE, PowerState.UNKNOWN, e.toString());
        }
    }
}
