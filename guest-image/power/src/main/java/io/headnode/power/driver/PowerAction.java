package io.headnode.power.driver;

import io.headnode.power.PowerState;

/** A power command a BMC is asked to carry out, and the state it should leave the node in. */
public enum PowerAction {
    ON(PowerState.ON), OFF(PowerState.OFF), CYCLE(PowerState.ON), RESET(PowerState.ON);

    private final PowerState expected;

    PowerAction(PowerState expected) {
        this.expected = expected;
    }

    public PowerState expected() {
        return expected;
    }
}
