package io.headnode.agent;

import io.headnode.contract.Machine;
import io.headnode.power.BootDevice;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerService;
import io.headnode.power.PowerState;
import java.util.ArrayList;
import java.util.List;

/** A PowerService that records every call and answers with a configurable outcome kind. */
public final class RecordingPowerService implements PowerService {
    public final List<String> calls = new ArrayList<>();
    public volatile PowerOutcome.Kind cycleAnswer = PowerOutcome.Kind.DONE;

    private synchronized PowerOutcome record(String what, Machine m, PowerOutcome.Kind kind) {
        calls.add(what + " " + m.mac());
        return new PowerOutcome(kind, kind == PowerOutcome.Kind.DONE ? PowerState.ON : PowerState.UNKNOWN, "fake " + what);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public PowerOutcome status(Machine machine) {
        return record("status", machine, PowerOutcome.Kind.DONE);
    }

    @Override
    public PowerOutcome on(Machine machine) {
        return record("on", machine, PowerOutcome.Kind.DONE);
    }

    @Override
    public PowerOutcome off(Machine machine) {
        return record("off", machine, PowerOutcome.Kind.DONE);
    }

    @Override
    public PowerOutcome cycle(Machine machine) {
        return record("cycle", machine, cycleAnswer);
    }

    @Override
    public PowerOutcome reset(Machine machine) {
        return record("reset", machine, PowerOutcome.Kind.DONE);
    }

    @Override
    public PowerOutcome bootDevice(Machine machine, BootDevice device, boolean once) {
        return record("bootdev-" + device.name().toLowerCase() + (once ? "-once" : ""), machine, PowerOutcome.Kind.DONE);
    }
}
