package io.headnode.power.ipmi;

import com.google.inject.Inject;
import com.google.inject.name.Named;
import io.headnode.common.exec.CommandRunner;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.DriverOption;
import io.headnode.contract.DriverOptions;
import io.headnode.contract.Machine;
import io.headnode.contract.Secret;
import io.headnode.power.PowerModule;
import io.headnode.power.PowerSettings;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * IPMI 2.0 over LAN through ipmitool: {@code -I lanplus -C 3} (cipher suite from the entry's {@code cipher}),
 * user and password from the credentials entry; the password goes through the environment ({@code -E},
 * IPMI_PASSWORD), never the command line.
 */
public final class IpmiDriver implements PowerDriver {
    public static final String NAME = "ipmi";
    public static final int DEFAULT_PORT = 623;
    static final DriverOption CIPHER = new DriverOption("cipher", "an IPMI cipher suite number", v -> v.matches("[0-9]{1,2}"), Optional.of("3"), false);
    static final DriverOption PRIVILEGE = DriverOption.of("privilege", "callback, user, operator or administrator",
            v -> v.matches("(?i)callback|user|operator|administrator"));
    public static final DriverOptions OPTIONS = new DriverOptions(NAME, false, true, List.of(CIPHER, PRIVILEGE));
    private final PowerSettings settings;
    private final CommandRunner runner;

    @Inject
    public IpmiDriver(PowerSettings settings, @Named(PowerModule.TOOLS) CommandRunner runner) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
    }


    @Override
    public DriverOptions options() {
        return OPTIONS;
    }

    @Override
    public BmcClient open(Machine machine, Optional<BmcCredentials> credentials) throws BmcException {
        BmcCredentials c = credentials.orElseThrow(() -> BmcException.refused("no credentials.conf entry for " + machine.bmc() + " (ipmi needs user and secret)"));
        Secret secret = c.secret().orElseThrow(() -> BmcException.refused("credentials entry " + c.key() + " has no secret"));
        long seconds = Math.max(1, settings.callTimeout().toSeconds());
        List<String> base = new ArrayList<>(List.of("ipmitool", "-I", "lanplus", "-C", CIPHER.get(c),
                "-H", machine.bmc().host(), "-p", String.valueOf(machine.bmc().portOr(DEFAULT_PORT)),
                "-N", "1", "-R", String.valueOf(Math.max(1, Math.min(5, seconds / 2 - 1))), "-v"));
        c.user().ifPresent(u -> base.addAll(List.of("-U", u)));
        PRIVILEGE.find(c).ifPresent(p -> base.addAll(List.of("-L", p.toUpperCase(java.util.Locale.ROOT))));
        base.add("-E");
        return new IpmiClient(runner, base, secret, settings.callTimeout());
    }
}
