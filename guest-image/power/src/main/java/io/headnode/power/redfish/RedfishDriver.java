package io.headnode.power.redfish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Inject;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.DriverOption;
import io.headnode.contract.DriverOptions;
import io.headnode.contract.Machine;
import io.headnode.contract.Secret;
import io.headnode.contract.ShareLayout;
import io.headnode.power.PowerSettings;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerDriver;
import io.headnode.power.http.BmcHttp;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * DMTF Redfish over HTTPS (port 443 unless the BMC address has one): {@code auth=session} (default; a session
 * is created and deleted per client) or {@code auth=basic}; {@code system=} the ComputerSystem (default: the
 * first member of /redfish/v1/Systems); {@code ca=} a PEM file, relative to the share, to trust.
 */
public final class RedfishDriver implements PowerDriver {
    public static final String NAME = "redfish";
    static final DriverOption AUTH = DriverOption.choice("auth", "session", "session", "basic");
    static final DriverOption SYSTEM = DriverOption.of("system", "a path /redfish/v1/Systems/...", v -> v.startsWith("/redfish/v1/Systems/"));
    public static final DriverOptions OPTIONS = new DriverOptions(NAME, true, true, List.of(AUTH, SYSTEM, BmcHttp.CA));
    private final BmcHttp http;
    private final ShareLayout share;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public RedfishDriver(PowerSettings settings, ShareLayout share) {
        this.http = new BmcHttp(Objects.requireNonNull(settings, "settings is null").callTimeout());
        this.share = Objects.requireNonNull(share, "share is null");
    }


    @Override
    public DriverOptions options() {
        return OPTIONS;
    }

    @Override
    public BmcClient open(Machine machine, Optional<BmcCredentials> credentials) throws BmcException {
        BmcCredentials c = credentials.orElseThrow(() -> BmcException.refused("no credentials.conf entry for " + machine.bmc() + " (redfish needs user and secret)"));
        Secret secret = c.secret().orElseThrow(() -> BmcException.refused("credentials entry " + c.key() + " has no secret"));
        String user = c.user().orElseThrow(() -> BmcException.refused("credentials entry " + c.key() + " has no user"));
        URI base = URI.create("https://" + machine.bmc().urlHost() + ":" + machine.bmc().portOr(443));
        return new RedfishClient(http, http.client(share, BmcHttp.CA.find(c)), json, base, user, secret,
                AUTH.get(c).equals("session"), SYSTEM.find(c));
    }
}
