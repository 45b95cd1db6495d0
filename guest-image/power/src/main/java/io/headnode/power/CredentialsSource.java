package io.headnode.power;

import io.headnode.contract.BmcCredentials;
import io.headnode.contract.Machine;
import io.headnode.contract.ShareFormatException;
import java.io.IOException;
import java.util.Optional;

/** Where the per-machine credentials entry and the head node's default driver come from. */
public interface CredentialsSource {
    Optional<BmcCredentials> lookup(Machine machine) throws IOException, ShareFormatException;

    /** headnode.conf's power-driver (amt when not set). */
    String defaultDriver() throws IOException, ShareFormatException;
}
