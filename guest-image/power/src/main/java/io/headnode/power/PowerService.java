package io.headnode.power;

import io.headnode.contract.Machine;

/**
 * Power control of a VLAN's nodes through their BMCs; the agent's only view of power.
 * Picks the driver per machine (credentials file in the share, else the head node's default driver).
 * Every call returns the real outcome; a failure is never reported as success.
 */
public interface PowerService {
    PowerOutcome status(Machine machine);

    PowerOutcome on(Machine machine);

    PowerOutcome off(Machine machine);

    /** Power cycle; a node that is off is powered on. */
    PowerOutcome cycle(Machine machine);

    PowerOutcome reset(Machine machine);

    /** Boot device for the next boot ({@code once}) or every boot, where the BMC supports it. */
    PowerOutcome bootDevice(Machine machine, BootDevice device, boolean once);
}
