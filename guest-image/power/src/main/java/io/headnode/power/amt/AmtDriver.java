package io.headnode.power.amt;

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
 * Intel AMT with HTTP digest auth: WS-Management ({@code protocol=wsman}, the default; AMT 6 and later also set
 * the boot device) or the web form the seed posted ({@code protocol=form}). Port 16992, or 16993 with
 * {@code tls=yes} ({@code ca=} a PEM file, relative to the share, to trust a self-signed BMC certificate).
 * User defaults to admin; a secret is needed. The options are declared in {@link #OPTIONS}.
 */
public final class AmtDriver implements PowerDriver {
    public static final String NAME = "amt";
    static final DriverOption PROTOCOL = DriverOption.choice("protocol", "wsman", "wsman", "form");
    static final DriverOption TLS = DriverOption.choice("tls", "no", "yes", "no");
    public static final DriverOptions OPTIONS = new DriverOptions(NAME, false, true, List.of(PROTOCOL, TLS, BmcHttp.CA));
    private final BmcHttp http;
    private final ShareLayout share;

    @Inject
    public AmtDriver(PowerSettings settings, ShareLayout share) {
        this.http = new BmcHttp(Objects.requireNonNull(settings, "settings is null").callTimeout());
        this.share = Objects.requireNonNull(share, "share is null");
    }


    @Override
    public DriverOptions options() {
        return OPTIONS;
    }

    @Override
    public BmcClient open(Machine machine, Optional<BmcCredentials> credentials) throws BmcException {
        BmcCredentials c = credentials.orElseThrow(() -> BmcException.refused("no credentials.conf entry for " + machine.bmc() + " (amt needs a secret)"));
        Secret secret = c.secret().orElseThrow(() -> BmcException.refused("credentials entry " + c.key() + " has no secret"));
        boolean tls = TLS.get(c).equals("yes");
        URI base = URI.create((tls ? "https://" : "http://") + machine.bmc().urlHost() + ":" + machine.bmc().portOr(tls ? 16993 : 16992));
        AmtHttp amt = new AmtHttp(http, http.client(share, BmcHttp.CA.find(c)), base, c.user().orElse("admin"), secret);
        return PROTOCOL.get(c).equals("form") ? new AmtFormClient(amt) : new AmtWsmanClient(amt);
    }
}
