package io.headnode.power;

import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A BMC whose state follows the commands it accepts, and which fails the calls a test queues failures for. */
final class ScriptedClient implements BmcClient {
    PowerState state;
    final List<String> calls = new ArrayList<>();
    final Deque<BmcException> stateFailures = new ArrayDeque<>();
    final Deque<BmcException> powerFailures = new ArrayDeque<>();
    /** Reads of the state that still show the old state after a command (a slow node). */
    int lagReads;
    private PowerState pending;

    ScriptedClient(PowerState initial) {
        this.state = initial;
    }

    @Override
    public PowerState state() throws BmcException {
        calls.add("state");
        if (!stateFailures.isEmpty()) {
            throw stateFailures.pop();
        }
        if (pending != null) {
            if (lagReads-- > 0) {
                return state;
            }
            state = pending;
            pending = null;
        }
        return state;
    }

    @Override
    public void power(PowerAction action) throws BmcException {
        calls.add(action.name());
        if (!powerFailures.isEmpty()) {
            BmcException e = powerFailures.pop();
            if (e.maybeApplied()) {
                pending = action.expected();
            }
            throw e;
        }
        pending = action.expected();
    }

    @Override
    public void bootDevice(BootDevice device, boolean once) throws BmcException {
        calls.add("boot " + device + (once ? " once" : ""));
        if (!powerFailures.isEmpty()) {
            throw powerFailures.pop();
        }
    }
}
