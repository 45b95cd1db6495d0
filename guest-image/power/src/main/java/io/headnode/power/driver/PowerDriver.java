package io.headnode.power.driver;

import io.headnode.contract.BmcCredentials;
import io.headnode.contract.DriverOptions;
import io.headnode.contract.Machine;
import java.util.Optional;

/** A kind of BMC (amt, ipmi, redfish, libvirt): opens a client for one machine with its credentials entry. */
public interface PowerDriver {
    /** The name used in credentials.conf and headnode.conf's power-driver: the one its options declare. */
    default String name() {
        return options().driver();
    }

    /** What this driver reads from a credentials.conf entry: user and secret needed or not, and its options. */
    DriverOptions options();

    /** Opens a client; throws {@link BmcException#refused} when the credentials entry lacks what the driver needs. */
    BmcClient open(Machine machine, Optional<BmcCredentials> credentials) throws BmcException;
}
