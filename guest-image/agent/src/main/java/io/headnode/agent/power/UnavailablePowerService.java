package io.headnode.agent.power;

import io.headnode.contract.Machine;
import io.headnode.power.BootDevice;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;

/** Used only while no power drivers are installed: every call is refused, honestly. */
public final class UnavailablePowerService implements PowerService {
    private static PowerOutcome refused() {
        return new PowerOutcome(PowerOutcome.Kind.REFUSED, PowerState.UNKNOWN, "no power driver installed in this agent");
    }

    @Override
    public PowerOutcome status(Machine machine) {
        return refused();
    }

    @Override
    public PowerOutcome on(Machine machine) {
        return refused();
    }

    @Override
    public PowerOutcome off(Machine machine) {
        return refused();
    }

    @Override
    public PowerOutcome cycle(Machine machine) {
        return refused();
    }

    @Override
    public PowerOutcome reset(Machine machine) {
        return refused();
    }

    @Override
    public PowerOutcome bootDevice(Machine machine, BootDevice device, boolean once) {
        return refused();
    }
}
