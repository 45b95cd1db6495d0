package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one power driver reads from a credentials.conf entry, declared by the driver itself: whether it needs a
 * user and a secret, and the options it accepts. The contract knows no driver; {@link CredentialsFile#validate}
 * checks each entry against the declaration of the driver it will use.
 */
public record DriverOptions(String driver, boolean needsUser, boolean needsSecret, List<DriverOption> options) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public DriverOptions {
        if (driver == null || !isDriverName(driver)) {
            throw new IllegalArgumentException("'" + driver + "' is not a driver name");
        }
        options = List.copyOf(options);
        Set<String> seen = new HashSet<>();
        for (DriverOption o : options) {
            if (!seen.add(o.name())) {
                throw new IllegalArgumentException("driver " + driver + " declares option " + o.name() + " twice");
            }
        }
    }

    /** A driver name: 1-32 of [a-z0-9_-], starting with a letter. */
    public static boolean isDriverName(String name) {
        return NAME.matcher(name).matches();
    }

    public Optional<DriverOption> option(String name) {
        return options.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** Checks an entry that this driver will use; a refusal names the field (an option, user or secret). */
    public void check(BmcCredentials entry) throws FieldException {
        Objects.requireNonNull(entry, "entry is null");
        for (Map.Entry<String, String> e : entry.options().entrySet()) {
            DriverOption o = option(e.getKey()).orElseThrow(() -> new FieldException(e.getKey(), "unknown option for driver " + driver
                    + " (known: " + (options.isEmpty() ? "none" : DriverOption.names(options)) + ")"));
            o.check(e.getValue());
        }
        List<String> required = new ArrayList<>();
        options.stream().filter(DriverOption::required).forEach(o -> required.add(o.name()));
        for (String name : required) {
            if (entry.option(name).isEmpty()) {
                throw new FieldException(name, "missing (driver " + driver + " needs " + String.join(" and ", required) + ")");
            }
        }
        if (needsUser && entry.user().isEmpty()) {
            throw new FieldException("user", "missing (driver " + driver + " needs a user)");
        }
        if (needsSecret && entry.secret().isEmpty()) {
            throw new FieldException("secret", "missing (driver " + driver + " needs a secret)");
        }
    }
}
