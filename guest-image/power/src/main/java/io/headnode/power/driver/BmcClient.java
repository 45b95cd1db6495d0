package io.headnode.power.driver;

import io.headnode.power.BootDevice;
import io.headnode.power.PowerState;

/**
 * One node's BMC as a driver reaches it. Each call is bounded by the driver's timeout and either succeeds or
 * throws a classified {@link BmcException}; none of them reports a failure as success.
 */
public interface BmcClient extends AutoCloseable {
    /** The node's power state; {@link PowerState#UNKNOWN} only when this BMC protocol cannot tell. */
    PowerState state() throws BmcException;

    /** Sends a power command; returns when the BMC has accepted it. */
    void power(PowerAction action) throws BmcException;

    /** Sets the boot device for the next boot ({@code once}) or for every boot. */
    void bootDevice(BootDevice device, boolean once) throws BmcException;

    @Override
    default void close() {
    }

    /** Convenience for drivers that support no persistent boot override. */
    static BmcException onceOnly(String driver, BootDevice device) {
        return BmcException.refused(driver + " sets the boot device for the next boot only; use --once for " + device.name().toLowerCase(java.util.Locale.ROOT));
    }
}
